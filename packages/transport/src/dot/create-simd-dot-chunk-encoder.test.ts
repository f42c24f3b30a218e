import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createJsDotChunkEncoder } from './create-js-dot-chunk-encoder.ts'
import { createSimdDotChunkEncoder, SIMD_WINDOW } from './create-simd-dot-chunk-encoder.ts'
import { EMPTY, type DotChunkEncoder } from './dot-chunk.ts'

const CR = 0x0d
const LF = 0x0a
const DOT = 0x2e

/** Cuts `bytes` at the given positions (taken modulo its length, in order). */
function cut(bytes: Uint8Array, positions: number[]): Uint8Array[] {
  const sorted = positions.map((position) => position % (bytes.length + 1)).sort((a, b) => a - b)
  const pieces: Uint8Array[] = []
  let start = 0
  for (const position of [...sorted, bytes.length]) {
    pieces.push(bytes.subarray(start, position))
    start = position
  }
  return pieces
}

/** The whole encoding of `pieces` (each pushed as a chunk, then the end) with one chunk encoder. */
function encodeWith(encode: DotChunkEncoder, pieces: Uint8Array[]): Buffer {
  const state = { lineStart: true, skipLf: false }
  return Buffer.concat([...pieces.map((piece) => encode(state, piece, false)), encode(state, EMPTY, true)])
}

const simdEncoders = new Map<number, DotChunkEncoder>()

/** The SIMD encoder with the given window, one instance per window (it keeps no state between calls). */
function simd(window = SIMD_WINDOW): DotChunkEncoder {
  let encoder = simdEncoders.get(window)
  if (!encoder) {
    encoder = createSimdDotChunkEncoder(window)
    if (!encoder) throw new Error('WebAssembly SIMD is missing: Node 20 has it')
    simdEncoders.set(window, encoder)
  }
  return encoder
}

/** Bodies rich in the octets that matter (CR, LF, dot), and arbitrary octets. */
const interesting = fc
  .array(fc.constantFrom(CR, LF, DOT, DOT, 0x61, 0x20, 0x00, 0xff), { maxLength: 300 })
  .map((bytes) => Uint8Array.from(bytes))
const body = fc.oneof(interesting, fc.uint8Array({ maxLength: 300 }))
const cuts = fc.array(fc.nat(), { maxLength: 12 })
/** Windows that cut bodies into many pieces, at and around the 16- and 64-byte steps of dot-scan.wat. */
const smallWindow = fc.constantFrom(1, 2, 15, 16, 17, 63, 64, 65, 100)

/** Bodies past SIMD_WINDOW: long runs of text, line endings and dots at random places. */
const token = fc.oneof(
  fc.constantFrom('\r\n', '\n', '\r', '.', '\r\n.', '\n.\n', '\r.\r', 'word '),
  fc.integer({ min: 1, max: 20_000 }).map((length) => 'x'.repeat(length)),
)
const largeBody = fc
  .array(token, { minLength: 20, maxLength: 60 })
  .map((tokens) => Buffer.from(tokens.join(''), 'latin1'))
  .filter((bytes) => bytes.length > SIMD_WINDOW)

describe('createSimdDotChunkEncoder', () => {
  it('is available on Node 20 and refuses a window it cannot hold', () => {
    expect(createSimdDotChunkEncoder()).toBeTypeOf('function')
    expect(createSimdDotChunkEncoder(0)).toBeUndefined()
    expect(createSimdDotChunkEncoder(SIMD_WINDOW + 1)).toBeUndefined()
  })

  it.each([
    ['a\n.b\rc', 'a\r\n..b\r\nc\r\n.\r\n'],
    ['\r.\r\n.\n\n\r', '\r\n..\r\n..\r\n\r\n\r\n.\r\n'],
    ['.'.repeat(70), `..${'.'.repeat(69)}\r\n.\r\n`],
  ])('encodes %j as the JavaScript encoder does', (input, wire) => {
    const bytes = Buffer.from(input, 'latin1')
    expect(encodeWith(simd(), [bytes]).toString('latin1')).toBe(wire)
    expect(encodeWith(createJsDotChunkEncoder(), [bytes]).toString('latin1')).toBe(wire)
  })

  it('gives the bytes of the JavaScript encoder for any body, chunking and window', () => {
    fc.assert(
      fc.property(body, cuts, smallWindow, (input, encodeCuts, window) => {
        const pieces = cut(input, encodeCuts)
        const expected = encodeWith(createJsDotChunkEncoder(), pieces)
        expect(encodeWith(simd(window), pieces).equals(expected)).toBe(true)
        expect(encodeWith(simd(), pieces).equals(expected)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('gives the bytes of the JavaScript encoder for chunks larger than the wasm window', () => {
    fc.assert(
      fc.property(largeBody, cuts, (input, encodeCuts) => {
        const expected = encodeWith(createJsDotChunkEncoder(), [input])
        expect(encodeWith(simd(), [input]).equals(expected)).toBe(true)
        const pieces = cut(input, encodeCuts)
        expect(encodeWith(simd(), pieces).equals(encodeWith(createJsDotChunkEncoder(), pieces))).toBe(true)
      }),
      { numRuns: 40 },
    )
  })
})
