import fc from 'fast-check'
import { ProtocolError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../__fixtures__/load-fixture.ts'
import { LineSplitter } from './line-splitter.ts'
import { parseOverviewFormat } from './parse-overview-format.ts'
import { parseOverviewLine, type OverviewEntry } from './parse-overview-line.ts'
import { parseOverviewText } from './parse-overview-text.ts'

const innFormat = parseOverviewFormat(loadFixture('list-overview-fmt.txt').lines)

function parseText(text: string, format = innFormat): OverviewEntry[] {
  const out: OverviewEntry[] = []
  parseOverviewText(text, format, out)
  return out
}

/** What parsing each line alone gives, or the error's class name. */
function eachLine(lines: readonly string[], format = innFormat): OverviewEntry[] | string {
  try {
    return lines.map((line) => parseOverviewLine(line, format))
  } catch (error) {
    return ProtocolError.isInstance(error) ? 'ProtocolError' : String(error)
  }
}

function textOrError(text: string, format = innFormat): OverviewEntry[] | string {
  try {
    return parseText(text, format)
  } catch (error) {
    return ProtocolError.isInstance(error) ? 'ProtocolError' : String(error)
  }
}

describe('parseOverviewText', () => {
  const lines = loadFixture('over-range.txt').lines

  it("reads INN 2.7.1 OVER output as parseOverviewLine reads each line, CRLF or LF, CR kept but the last", () => {
    const expected = lines.map((line) => parseOverviewLine(line, innFormat))
    expect(parseText(lines.join('\r\n'))).toEqual(expected)
    expect(parseText(lines.join('\n'))).toEqual(expected)
    expect(Object.keys(parseText(lines.join('\r\n'))[0]?.fields ?? {})).toEqual(['subject', 'from', 'date', 'message-id', 'references', ':bytes', ':lines', 'xref'])
    expect(parseText(`${lines[0] ?? ''}\r`)).toEqual(expected.slice(0, 1))
    expect(parseText('1\ts\tf\td\t<m@b>\t\t1\t1\tXref: h a:1\r\r')[0]?.fields.xref).toBe('h a:1\r')
  })

  it('decodes an encoded word anywhere in Subject and From, and leaves a value without one as sent', () => {
    const [entry] = parseText('4\tRe: =?UTF-8?Q?J=C3=B6rg?= wrote\tX =?UTF-8?B?SsO2cmc=?= <j@x>\td\t<m@b>\t\t1\t1\tXref: h a:4\r')
    expect(entry?.subject).toBe('Re: Jörg wrote')
    expect(entry?.from).toBe('X Jörg <j@x>')
    expect(entry?.fields.subject).toBe('Re: =?UTF-8?Q?J=C3=B6rg?= wrote')
    expect(parseText('5\tplain = ? text\tA <a@b>\td\t<m@b>\t\t1\t1\tXref: h a:5')[0]?.subject).toBe('plain = ? text')
  })

  it('reads lines off the fast path among well-formed ones: a tab in the Subject, missing fields, a trailing Xref', () => {
    const mixed = [
      '1\ts\tf\td\t<m@b>\t\t10\t1\tXref: h a:1',
      '2\tone\ttwo\tA <a@b>\tdate\t<m@b>\t\t10\t1\tXref: h a:2',
      '3\tonly a subject',
      '4\ts\tf\td\t<m@b>\t\t 539 \t 2\tXREF:   h a:4',
      '5\ts\tf\td\t<m@b>\t\t1\t1\tXref: \u00a0h a:5',
    ]
    const entries = parseText(mixed.join('\r\n'))
    expect(entries).toEqual(eachLine(mixed))
    expect(entries.map((entry) => [entry.number, entry.subject, entry.bytes, entry.fields.xref])).toEqual([
      [1, 's', 10, 'h a:1'],
      [2, 'one two', 10, 'h a:2'],
      [3, 'only a subject', undefined, ''],
      [4, 's', 539, 'h a:4'],
      [5, 's', 1, 'h a:5'],
    ])
  })

  it('throws ProtocolError for a line without an article number, after the entries before it', () => {
    const out: OverviewEntry[] = []
    expect(() => parseOverviewText('1\ts\tf\td\t<m@b>\t\t1\t1\tXref: h a:1\r\nabc\ts\r\n3\ts', innFormat, out)).toThrow(ProtocolError)
    expect(out.map((entry) => entry.number)).toEqual([1])
  })

  it('reads any lines as parseOverviewLine reads each, with the default format and INN\'s (property)', () => {
    const unit = fc.constantFrom('1', '7', '0', 'a', ' ', '\t', '\r', '<', '>', '=?', 'é', '\u00a0', 'Xref:', 'xref: ')
    const line = fc.oneof(
      fc.string({ unit }),
      fc.tuple(fc.nat(), fc.array(fc.string({ unit }), { minLength: 6, maxLength: 9 })).map(([n, fields]) => [String(n), ...fields].join('\t')),
    )
    const ending = fc.constantFrom('\r\n', '\n')
    fc.assert(
      fc.property(fc.array(fc.tuple(line, ending), { minLength: 1, maxLength: 6 }), fc.boolean(), (pairs, inn) => {
        const format = inn ? innFormat : undefined
        const text = pairs.map(([text, end], i) => (i + 1 < pairs.length ? `${text}${end}` : text)).join('')
        const expected = eachLine(pairs.map(([text, end], i) => (i + 1 < pairs.length && end === '\r\n') || !text.endsWith('\r') ? text : text.slice(0, -1)), format)
        expect(textOrError(text, format)).toEqual(expected)
      }),
    )
  })

  it('reads what LineSplitter.pushText gives, however the bytes are cut', () => {
    const body = Buffer.from(`${lines.join('\r\n')}\r\n`)
    for (let cut = 0; cut <= body.length; cut += 7) {
      const splitter = new LineSplitter(4096)
      const out: OverviewEntry[] = []
      for (const chunk of [body.subarray(0, cut), body.subarray(cut)]) {
        const text = splitter.pushText(chunk)
        if (text !== undefined) parseOverviewText(text, innFormat, out)
      }
      expect(splitter.endText()).toBeUndefined()
      expect(out).toEqual(eachLine(lines))
    }
  })
})
