import fc from 'fast-check'
import { ProtocolError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../__fixtures__/load-fixture.ts'
import { defaultOverviewFormat, parseOverviewFormat, type OverviewField } from './parse-overview-format.ts'
import { parseOverviewLine, type OverviewEntry } from './parse-overview-line.ts'

const innFormat = parseOverviewFormat(loadFixture('list-overview-fmt.txt').lines)

describe('parseOverviewFormat', () => {
  it("reads INN's LIST OVERVIEW.FMT (RFC 2980 Bytes:/Lines: and Xref:full)", () => {
    expect(innFormat.map((field) => [field.name, field.key, field.full])).toEqual([
      ['Subject', 'subject', false],
      ['From', 'from', false],
      ['Date', 'date', false],
      ['Message-ID', 'message-id', false],
      ['References', 'references', false],
      [':bytes', ':bytes', false],
      [':lines', ':lines', false],
      ['Xref', 'xref', true],
    ])
  })

  it('reads the RFC 3977 spelling and metadata items, skips junk, fills a short list', () => {
    expect(parseOverviewFormat(['Subject:', 'From:', 'Date:', 'Message-ID:', 'References:', ':bytes', ':lines', 'Newsgroups:full', ':x-size', 'bad line', ''])
      .slice(7).map((field) => [field.name, field.full])).toEqual([['Newsgroups', true], [':x-size', false]])
    expect(parseOverviewFormat(['Subject:'])).toEqual(defaultOverviewFormat)
  })
})

describe('parseOverviewLine', () => {
  const lines = loadFixture('over-range.txt').lines

  it('reads INN 2.7.1 OVER output, encoded words decoded', () => {
    const entries = lines.map((line) => parseOverviewLine(line, innFormat))
    expect(entries.map((entry) => entry.number)).toEqual([1, 2, 3])
    expect(entries[0]).toEqual({
      number: 1,
      subject: 'hello world',
      from: 'Dave <dave@example.org>',
      date: 'Sun, 29 Nov 2026 21:09:33 -0000 (UTC)',
      messageId: '<first@example.org>',
      references: '',
      bytes: 536,
      lines: 2,
      fields: {
        subject: 'hello world',
        from: 'Dave <dave@example.org>',
        date: 'Sun, 29 Nov 2026 21:09:33 -0000 (UTC)',
        'message-id': '<first@example.org>',
        references: '',
        ':bytes': '536',
        ':lines': '2',
        xref: 'capture.localdomain misc.test:1',
      },
    })
    expect(entries[1]?.subject).toBe('Grüße aus München and a folded continuation')
    expect(entries[1]?.from).toBe('Jörg Müller <joerg@example.org>')
    expect(entries[1]?.fields.subject).toBe('=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?= and a folded continuation')
    expect(entries[2]?.references).toBe('<first@example.org>')
  })

  it.each([
    ['empty fields', '5\t\t\t\t\t\t\t', { number: 5, subject: '', messageId: '', bytes: undefined, lines: undefined }],
    ['missing trailing fields', '6\tonly a subject', { number: 6, subject: 'only a subject', from: '', references: '' }],
    ['a tab in the subject', '7\tone\ttwo\tA <a@b>\tdate\t<m@b>\t\t10\t1', { subject: 'one two', from: 'A <a@b>', messageId: '<m@b>', bytes: 10 }],
    ['two tabs in the subject', '7\ta\tb\tc\tA <a@b>\tdate\t<m@b>\t\t10\t1', { subject: 'a b c', messageId: '<m@b>', lines: 1 }],
    ['an extra named field', '8\ts\tf\td\t<m@b>\t\t1\t1\tNewsgroups: a.b', { fields: expect.objectContaining({ newsgroups: 'a.b' }) as unknown }],
    ['a trailing tab', '9\ts\tf\td\t<m@b>\tr\t1\t1\t', { subject: 's', references: 'r', lines: 1 }],
    ['number 0 (OVER by message-id)', '0\ts\tf\td\t<m@b>\t\t1\t1', { number: 0 }],
    ['sizes with spaces around them', '10\ts\tf\td\t<m@b>\t\t 539 \t 2', { bytes: 539, lines: 2 }],
    ['sizes that are not numbers', '11\ts\tf\td\t<m@b>\t\tabc\t-1', { bytes: undefined, lines: undefined }],
  ])('reads %s', (_name, line, expected) => {
    expect(parseOverviewLine(line)).toMatchObject(expected)
  })

  it('reads the same with a format of copied fields (no fast path) as with the parsed one', () => {
    const copied = innFormat.map((field) => ({ ...field }))
    for (const line of [...lines, '7\tone\ttwo\tA <a@b>\tdate\t<m@b>\t\t10\t1\tXref: h a:1\tNewsgroups: a.b']) {
      expect(parseOverviewLine(line, copied)).toEqual(parseOverviewLine(line, innFormat))
    }
  })

  it('reads any line on the fast path as without it, Xref trimmed after its colon (property)', () => {
    const copied = innFormat.map((field) => ({ ...field }))
    const unit = fc.constantFrom('1', '0', 'a', ' ', '\t', '\r', '<m@b>', '=?', 'é', '\u00a0', 'Xref:', 'XREF: ', 'xref:  ')
    const name = fc.constantFrom('', 'Xref:', 'Xref: ', 'XREF:', 'xref:  ', 'Xref: \u00a0', 'Xref: \r', 'Xre: ')
    const line = fc
      .tuple(fc.nat(), fc.array(fc.string({ unit }), { minLength: 6, maxLength: 9 }), name, fc.string({ unit }))
      .map(([n, fields, prefix, xref]) => [String(n), ...fields.slice(0, 7), `${prefix}${xref}`, ...fields.slice(7)].join('\t'))
    const read = (text: string, format: readonly OverviewField[]): unknown => {
      try {
        return parseOverviewLine(text, format)
      } catch (error) {
        return ProtocolError.isInstance(error) ? 'ProtocolError' : error
      }
    }
    fc.assert(fc.property(fc.oneof(line, fc.string({ unit })), (text) => {
      const entry = read(text, innFormat)
      expect(entry).toEqual(read(text, copied))
      // A well-formed line's Xref: the value after `Xref:` (any case), trimmed at its start.
      const tokens = text.split('\t')
      if (tokens.length === 9 && typeof entry === 'object' && entry !== null && 'fields' in entry) {
        const token = tokens[8] ?? ''
        expect((entry as OverviewEntry).fields.xref).toBe(/^xref:/i.test(token) ? token.slice(5).trimStart() : token)
      }
    }), { numRuns: 500 })
  })

  it('reads a full field whatever the case of its name, and trims the space after the colon', () => {
    expect(parseOverviewLine('1\ts\tf\td\t<m@b>\t\t1\t1\tXREF:   h misc.test:1', innFormat).fields.xref).toBe('h misc.test:1')
    expect(parseOverviewLine('1\ts\tf\td\t<m@b>\t\t1\t1\tXref:h misc.test:1', innFormat).fields.xref).toBe('h misc.test:1')
  })

  it('reads a full field without its name as the value itself', () => {
    expect(parseOverviewLine('1\ts\tf\td\t<m@b>\t\t1\t1\th misc.test:1', innFormat).fields.xref).toBe('h misc.test:1')
  })

  it.each(['', 'abc\tsubject', '-1\ts', ' 1\ts'])('refuses %j with ProtocolError', (line) => {
    expect(() => parseOverviewLine(line)).toThrow(ProtocolError)
  })

  it('returns an entry or throws ProtocolError, for any line', () => {
    fc.assert(fc.property(fc.string(), (line) => {
      try {
        parseOverviewLine(line, innFormat)
      } catch (error) {
        expect(ProtocolError.isInstance(error)).toBe(true)
      }
    }))
  })

  it('keeps every field of a well-formed line (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '=', '?') })
    fc.assert(fc.property(fc.nat(), field, field, (number, subject, from) => {
      const entry = parseOverviewLine(`${number}\t${subject}\t${from}\td\t<m@b>\t\t3\t4`)
      expect([entry.number, entry.fields.subject, entry.fields.from, entry.bytes, entry.lines]).toEqual([number, subject, from, 3, 4])
    }))
  })
})
