import fc from 'fast-check'
import { ProtocolError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { parseScanTable, parseUniqueIdTable } from './parse-listing-tables.ts'
import { parseScanListing, parseUniqueIdListing } from './parse-listings.ts'

const body = (text: string): Buffer => Buffer.from(text, 'latin1')
const scanRows = (text: string): Array<[number, number]> => {
  const table = parseScanTable(body(text))
  return Array.from({ length: table.count }, (_, i) => [table.numbers[i] as number, table.sizes[i] as number])
}

describe('parseScanTable', () => {
  it.each([
    ['dovecot', '1 4059\r\n2 4112\r\n', [[1, 4059], [2, 4112]]],
    ['bare LF, no final line ending', '1 10\n2 20', [[1, 10], [2, 20]]],
    ['tabs and more after the size', '1\t10 extra words\r\n', [[1, 10]]],
    ['leading blanks (read by the string parser)', '  7 70  \r\n', [[7, 70]]],
    ['an empty answer', '', []],
  ])('%s', (_name, text, rows) => {
    expect(scanRows(text)).toEqual(rows)
  })

  it.each([
    ['message number 0', '0 10\r\n'],
    ['no size', '1\r\n'],
    ['16 digits', '1 1234567890123456\r\n'],
    ['an empty line', '1 10\r\n\r\n2 20\r\n'],
    ['letters', 'one 10\r\n'],
  ])('%s is a ProtocolError, as parseScanListing says', (_name, text) => {
    expect(() => parseScanTable(body(text))).toThrow(ProtocolError)
  })

  it('property: agrees with parseScanListing on every line', () => {
    const line = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e9 })).map(([n, s]) => `${n} ${s}`),
      fc.stringMatching(/^[0-9 \tx]{0,12}$/),
    )
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const text = lines.map((l) => `${l}\r\n`).join('')
        let expected: Array<[number, number]> | 'error'
        try {
          expected = lines.map((l) => parseScanListing(l)).map((entry) => [entry.number, entry.size])
        } catch {
          expected = 'error'
        }
        let actual: Array<[number, number]> | 'error'
        try {
          actual = scanRows(text)
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError)
          actual = 'error'
        }
        expect(actual).toEqual(expected)
      }),
    )
  })
})

describe('parseUniqueIdTable', () => {
  it('finds each id by message number, the last listing winning', () => {
    const table = parseUniqueIdTable(body('1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n1 again \r\n'))
    expect(table.count).toBe(3)
    expect([table.uidOf(1), table.uidOf(2), table.uidOf(3), table.uidOf(0), table.uidOf(1.5)]).toEqual(['again', 'QhdPYR:00WBw1Ph7x7', undefined, undefined, undefined])
  })

  it('finds ids of sparse message numbers too', () => {
    const table = parseUniqueIdTable(body('5 a\r\n900000 b\r\n'))
    expect([table.uidOf(5), table.uidOf(900000), table.uidOf(6)]).toEqual(['a', 'b', undefined])
  })

  it('reads unusual lines with the string parser', () => {
    expect(parseUniqueIdTable(body(' 3 x\r\n')).uidOf(3)).toBe('x')
  })

  it.each([
    ['an id of 71 octets', `1 ${'a'.repeat(71)}\r\n`],
    ['a space inside the id', '1 a b\r\n'],
    ['no id', '1\r\n'],
    ['message number 0', '0 a\r\n'],
  ])('%s is a ProtocolError, as parseUniqueIdListing says', (_name, text) => {
    expect(() => parseUniqueIdTable(body(text))).toThrow(ProtocolError)
    expect(() => parseUniqueIdListing(text.trim())).toThrow(ProtocolError)
  })
})
