import { ProtocolError } from '@netc/transport'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dovecotScanListing, dovecotStatusLines, dovecotUniqueIdListing } from './__fixtures__/dovecot-2.3.19.ts'
import { parseDropListing, parseScanListing, parseUniqueIdListing } from './parse-listings.ts'
import { parseStatusLine } from './parse-status-line.ts'

const textOf = (line: string): string => parseStatusLine(line).text

describe('parseDropListing', () => {
  it.each([
    ['2 320', { count: 2, size: 320 }],
    ['0 0', { count: 0, size: 0 }],
    [textOf(dovecotStatusLines.stat), { count: 2, size: 61 }],
    ['5 1000 messages (1000 octets)', { count: 5, size: 1000 }],
  ])('%j', (text, value) => {
    expect(parseDropListing(text)).toEqual(value)
  })
  it.each(['', '2', 'two 320', '2 -1', '2,320'])('refuses %j', (text) => {
    expect(() => parseDropListing(text)).toThrow(ProtocolError)
  })
})

describe('parseScanListing', () => {
  it.each([
    ['1 1205', { number: 1, size: 1205 }],
    [dovecotScanListing[0]!, { number: 1, size: 35 }],
    [dovecotScanListing[1]!, { number: 2, size: 26 }],
    [textOf(dovecotStatusLines.listOne), { number: 1, size: 35 }],
    ['3  200 extra', { number: 3, size: 200 }],
  ])('%j', (text, value) => {
    expect(parseScanListing(text)).toEqual(value)
  })
  it.each(['', '0 12', '1', 'a 1', '1 b'])('refuses %j', (text) => {
    expect(() => parseScanListing(text)).toThrow(ProtocolError)
  })
})

describe('parseUniqueIdListing', () => {
  it.each([
    ['1 whqtswO00WBw418f9t5JxYwZ', { number: 1, uid: 'whqtswO00WBw418f9t5JxYwZ' }],
    [dovecotUniqueIdListing[1]!, { number: 2, uid: '000000026b0c94e6' }],
    [textOf(dovecotStatusLines.uidlOne), { number: 2, uid: '000000026b0c94e6' }],
    ['7 !~', { number: 7, uid: '!~' }],
    [`1 ${'x'.repeat(70)}`, { number: 1, uid: 'x'.repeat(70) }],
  ])('%j', (text, value) => {
    expect(parseUniqueIdListing(text)).toEqual(value)
  })
  it.each(['1', '1 a b', `1 ${'x'.repeat(71)}`, '1 caf\u00e9', '0 abc', '1 a\u007f'])('refuses %j', (text) => {
    expect(() => parseUniqueIdListing(text)).toThrow(ProtocolError)
  })

  it('returns a value or throws ProtocolError for any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        for (const parse of [parseDropListing, parseScanListing, parseUniqueIdListing]) {
          try {
            parse(text)
          } catch (error) {
            expect(ProtocolError.isInstance(error)).toBe(true)
          }
        }
      }),
    )
  })

  it('reads back any valid id', () => {
    const uid = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 70 })
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), uid, (number, id) => {
        expect(parseUniqueIdListing(`${number} ${id}`)).toEqual({ number, uid: id })
      }),
    )
  })
})
