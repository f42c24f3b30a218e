import fc from 'fast-check'
import { ProtocolError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../__fixtures__/load-fixture.ts'
import { parseArticlePointer } from './parse-article-pointer.ts'
import { parseGroupReply } from './parse-group-reply.ts'
import { parseHdrLine } from './parse-hdr-line.ts'
import { formatNntpDateTime, parseDateReply } from './nntp-date-time.ts'

const text = (status: string): string => status.slice(4)

describe('parseGroupReply', () => {
  it.each([
    ['group-misc.test.txt', { name: 'misc.test', count: 3, first: 1, last: 3 }],
    ['group-local.empty.txt', { name: 'local.empty', count: 0, first: 1, last: 0 }],
    ['listgroup-misc.test.txt', { name: 'misc.test', count: 3, first: 1, last: 3 }],
  ])('reads INN 2.7.1 %s', (name, expected) => {
    expect(parseGroupReply(text(loadFixture(name).status))).toEqual(expected)
  })

  it.each(['', 'misc.test', '3 1 misc.test', 'x 1 3 misc.test'])('refuses %j', (reply) => {
    expect(() => parseGroupReply(reply)).toThrow(ProtocolError)
  })
})

describe('parseArticlePointer', () => {
  it.each([
    ['stat-1.txt', { number: 1, messageId: '<first@example.org>' }],
    ['stat-msgid.txt', { number: 0, messageId: '<third@example.org>' }],
    ['next.txt', { number: 2, messageId: '<second@example.org>' }],
    ['article-second.txt', { number: 0, messageId: '<second@example.org>' }],
  ])('reads INN 2.7.1 %s', (name, expected) => {
    expect(parseArticlePointer(text(loadFixture(name).status))).toEqual(expected)
  })

  it.each(['', '1', '1 first@example.org', '<a@b> 1'])('refuses %j', (reply) => {
    expect(() => parseArticlePointer(reply)).toThrow(ProtocolError)
  })
})

describe('parseHdrLine', () => {
  it('reads INN 2.7.1 HDR Subject and :bytes', () => {
    const subjects = loadFixture('hdr-subject.txt').lines.map(parseHdrLine)
    expect(subjects.map((entry) => [entry.number, entry.value])).toEqual([
      [1, 'hello world'],
      [2, 'Grüße aus München and a folded continuation'],
      [3, 'Re: hello world'],
    ])
    expect(loadFixture('hdr-bytes.txt').lines.map((line) => parseHdrLine(line).value)).toEqual(['536', '619', '539'])
    expect(parseHdrLine(loadFixture('hdr-msgid.txt').lines[0] ?? '')).toMatchObject({ number: 0, value: 'hello world' })
  })

  it.each([
    ['4', { number: 4, raw: '', value: '' }],
    ['4 ', { number: 4, raw: '' }],
    ['<a@b> (none)', { number: 0, messageId: '<a@b>', raw: '(none)' }],
  ])('reads %j', (line, expected) => {
    expect(parseHdrLine(line)).toMatchObject(expected)
  })

  it('returns a value or throws ProtocolError (property)', () => {
    fc.assert(fc.property(fc.string(), (line) => {
      try {
        parseHdrLine(line)
      } catch (error) {
        expect(ProtocolError.isInstance(error)).toBe(true)
      }
    }))
  })
})

describe('DATE and NEWNEWS dates', () => {
  it('reads INN 2.7.1 DATE', () => {
    expect(parseDateReply(text(loadFixture('date.txt').status))).toEqual(new Date('2026-11-29T21:09:53Z'))
  })

  it.each(['', '2026112921095', '20261329210953', '20260230000000', '20261129250000', 'x'])('refuses %j', (reply) => {
    expect(() => parseDateReply(reply)).toThrow(ProtocolError)
  })

  it.each([
    ['2026-11-29T21:09:53Z', ['20261129', '210953', 'GMT']],
    ['1999-01-02T03:04:05.999Z', ['19990102', '030405', 'GMT']],
    ['2026-11-29T23:30:00+02:00', ['20261129', '213000', 'GMT']],
  ])('formats %s', (iso, expected) => {
    expect(formatNntpDateTime(new Date(iso))).toEqual(expected)
  })

  it('formats what it parses back (property)', () => {
    const dates = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    fc.assert(fc.property(dates, (date) => {
      const [day, time] = formatNntpDateTime(date)
      expect(parseDateReply(`${day}${time}`).getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000)
    }))
  })

  it('parseDateReply returns a Date or throws ProtocolError (property)', () => {
    fc.assert(fc.property(fc.string(), (reply) => {
      try {
        expect(Number.isNaN(parseDateReply(reply).getTime())).toBe(false)
      } catch (error) {
        expect(ProtocolError.isInstance(error)).toBe(true)
      }
    }))
  })
})
