import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSimdBareLineEndFinder } from './create-simd-bare-line-end-finder.ts'
import { findBareLineEnd } from './find-bare-line-end.ts'
import { findBareLineEndJs } from './find-bare-line-end-js.ts'

const CR = 0x0d
const LF = 0x0a

/** The definition, byte by byte: a CR not followed by LF, or a LF not preceded by CR. */
function reference(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === CR && bytes[i + 1] !== LF) return i
    if (bytes[i] === LF && bytes[i - 1] !== CR) return i
  }
  return -1
}

const finders = new Map<number, (bytes: Uint8Array) => number>()

/** The SIMD finder with the given window, one instance per window. */
function simd(window?: number): (bytes: Uint8Array) => number {
  const key = window ?? 0
  let finder = finders.get(key)
  if (!finder) {
    finder = createSimdBareLineEndFinder(window)
    if (!finder) throw new Error('WebAssembly SIMD is missing: Node 20 has it')
    finders.set(key, finder)
  }
  return finder
}

/** Bytes rich in CR and LF (and CRLF pairs), and arbitrary bytes. */
const interesting = fc
  .array(fc.constantFrom(CR, LF, 0x61, 0x2e, 0x00, 0xff), { maxLength: 300 })
  .map((bytes) => Uint8Array.from(bytes))
const crlfText = fc
  .array(fc.constantFrom('\r\n', 'abc', 'x'.repeat(70), '.', '\r\n\r\n'), { maxLength: 60 })
  .map((pieces) => Buffer.from(pieces.join(''), 'latin1'))
/** CRLF text with one bare CR or LF put somewhere (or none). */
const almostClean = fc
  .tuple(crlfText, fc.nat(), fc.constantFrom('\r', '\n', 'ok'))
  .map(([text, at, bare]) => {
    const position = at % (text.length + 1)
    return Buffer.concat([text.subarray(0, position), Buffer.from(bare, 'latin1'), text.subarray(position)])
  })
const bytes = fc.oneof(interesting, fc.uint8Array({ maxLength: 300 }), crlfText, almostClean)
/** Windows at and around the 16- and 64-byte steps of dot-scan.wat, so that CRLFs are cut by window ends. */
const smallWindow = fc.constantFrom(1, 2, 3, 15, 16, 17, 63, 64, 65, 100)

describe('findBareLineEnd', () => {
  it.each([
    ['', -1],
    ['a\r\nb\r\n', -1],
    ['a\r\nb\nc', 4],
    ['a\rb\r\n', 1],
    ['\nabc', 0],
    ['abc\r', 3],
    ['a\r\n\r\n\r\r\n', 5],
    ['\r\n', -1],
    ['\n\r', 0],
  ])('%j: %d', (text, expected) => {
    const input = Buffer.from(text, 'latin1')
    expect(findBareLineEndJs(input)).toBe(expected)
    expect(simd()(input)).toBe(expected)
    expect(findBareLineEnd(input)).toBe(expected)
  })

  it('finds a bare LF or CR placed anywhere in a long CRLF body, across SIMD windows', () => {
    const line = Buffer.from(`${'y'.repeat(76)}\r\n`, 'latin1')
    const body = Buffer.concat(Array.from({ length: 14_000 }, () => line)) // about 1.1 MB, past one window
    expect(findBareLineEnd(body)).toBe(-1)
    // Line starts and ends, the 64 KiB and 512 KiB marks (the SIMD window is 524,160 bytes), the last byte.
    for (const at of [0, 76, 77, 78, 64 * 1024, 524_160 - 1, 524_160, 524_160 + 1, body.length - 1]) {
      for (const bare of [CR, LF]) {
        const copy = Buffer.from(body)
        copy[at] = bare
        const expected = reference(copy)
        if (copy[at] !== body[at]) expect(expected).toBeGreaterThanOrEqual(at - 1)
        expect(findBareLineEnd(copy)).toBe(expected)
        expect(findBareLineEndJs(copy)).toBe(expected)
      }
    }
  })

  it('agrees with the definition: the JavaScript walk and the SIMD scan, over arbitrary bytes', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const expected = reference(input)
        expect(findBareLineEndJs(input)).toBe(expected)
        expect(simd()(input)).toBe(expected)
        expect(findBareLineEnd(input)).toBe(expected)
      }),
      { numRuns: 2000 },
    )
  })

  it('agrees with the definition when windows cut the input anywhere, CRLF pairs included', () => {
    fc.assert(
      fc.property(bytes, smallWindow, (input, window) => {
        expect(simd(window)(input)).toBe(reference(input))
      }),
      { numRuns: 2000 },
    )
  })

  it('gives the same answer for a view into a larger buffer as for a copy (offsets are the view\'s)', () => {
    fc.assert(
      fc.property(bytes, fc.nat(40), fc.nat(40), (input, before, after) => {
        const backing = Buffer.alloc(before + input.length + after, CR)
        backing.set(input, before)
        const view = new Uint8Array(backing.buffer, backing.byteOffset + before, input.length)
        const expected = reference(input)
        expect(findBareLineEnd(view)).toBe(expected)
        expect(findBareLineEndJs(view)).toBe(expected)
      }),
    )
  })
})
