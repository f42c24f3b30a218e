import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../errors/index.ts'
import { saslPrep } from './saslprep.ts'

// Any UTF-16 code unit, lone surrogates included (fast-check's 'binary' unit is slow to warm up).
const utf16Unit = fc.oneof(fc.integer({ min: 0, max: 0x2fff }), fc.integer({ min: 0, max: 0xffff })).map((code) => String.fromCharCode(code))

describe('saslPrep', () => {
  // RFC 4013 section 3, examples 1 to 6 (example 7, the bidi rule, is not implemented).
  it.each([
    ['I\u00adX', 'IX'],
    ['user', 'user'],
    ['USER', 'USER'],
    ['\u00aa', 'a'],
    ['\u2168', 'IX'],
    ['a\u00a0b\u3000c', 'a b c'],
    ['zero\u200bwidth', 'zerowidth'],
    ['caf\u0065\u0301', 'caf\u00e9'],
    ['pencil', 'pencil'],
  ])('%j becomes %j', (input, expected) => {
    expect(saslPrep(input)).toBe(expected)
  })

  it.each(['\u0007', 'tab\there', 'del\u007f', 'c1\u0085', 'private\ue000', 'lone\ud800', 'nonchar\ufffe', 'tag\u{e0041}', 'rlm\u200f', 'ls\u2028'])(
    'refuses %j (RFC 4013 section 2.3)',
    (input) => {
      expect(() => saslPrep(input, 'password')).toThrow(InvalidArgumentError)
      expect(() => saslPrep(input, 'password')).toThrow(/the password contains a prohibited character/)
    },
  )

  it('returns a string or throws InvalidArgumentError for any input, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: utf16Unit }), (input) => {
        let prepared: string
        try {
          prepared = saslPrep(input)
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError)
          return
        }
        expect(saslPrep(prepared)).toBe(prepared)
      }),
    )
  })
})
