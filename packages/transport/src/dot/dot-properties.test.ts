import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DotDecoder } from './dot-decoder.ts'
import { DotEncoder, encodeDotBody } from './dot-encoder.ts'

const CR = 0x0d
const LF = 0x0a

/** The reference: every line ending (CRLF, bare CR, bare LF) as CRLF, and a final CRLF if missing. */
function normalise(body: Uint8Array): Buffer {
  const out: number[] = []
  for (let index = 0; index < body.length; index++) {
    const byte = body[index]!
    if (byte === CR) {
      if (body[index + 1] === LF) index++
      out.push(CR, LF)
    } else if (byte === LF) {
      out.push(CR, LF)
    } else {
      out.push(byte)
    }
  }
  if (out.length > 0 && out[out.length - 1] !== LF) out.push(CR, LF)
  return Buffer.from(out)
}

/** Cuts `bytes` at the given positions (taken modulo its length, in order). */
function cut(bytes: Uint8Array, positions: number[]): Buffer[] {
  const sorted = positions.map((position) => position % (bytes.length + 1)).sort((a, b) => a - b)
  const pieces: Buffer[] = []
  let start = 0
  for (const position of [...sorted, bytes.length]) {
    pieces.push(Buffer.from(bytes.subarray(start, position)))
    start = position
  }
  return pieces
}

function encodeChunks(pieces: Uint8Array[]): Buffer {
  const encoder = new DotEncoder()
  return Buffer.concat([...pieces.map((piece) => encoder.push(piece)), encoder.end()])
}

function decodeChunks(pieces: Buffer[]): { body: Buffer; rest: Buffer } {
  const decoder = new DotDecoder()
  const body: Buffer[] = []
  const rest: Buffer[] = []
  for (const piece of pieces) {
    if (decoder.done) {
      rest.push(piece)
      continue
    }
    const result = decoder.push(piece)
    body.push(...result.chunks)
    if (result.rest) rest.push(result.rest)
  }
  decoder.end()
  return { body: Buffer.concat(body), rest: Buffer.concat(rest) }
}

/** Bodies rich in the octets that matter (CR, LF, dot), and arbitrary octets. */
const interesting = fc
  .array(fc.constantFrom(CR, LF, 0x2e, 0x2e, 0x61, 0x20, 0x00, 0xff), { maxLength: 200 })
  .map((bytes) => Uint8Array.from(bytes))
const body = fc.oneof(interesting, fc.uint8Array({ maxLength: 300 }))
const cuts = fc.array(fc.nat(), { maxLength: 12 })
const runs = { numRuns: 2000 }

describe('dot codec properties', () => {
  it('decode(encode(x)) is x with line endings normalised, for any chunking on both sides', () => {
    fc.assert(
      fc.property(body, cuts, cuts, (input, encodeCuts, decodeCuts) => {
        const wire = encodeChunks(cut(input, encodeCuts))
        const next = Buffer.from('+OK next\r\n')
        const decoded = decodeChunks(cut(Buffer.concat([wire, next]), decodeCuts))
        expect(decoded.body.equals(normalise(input))).toBe(true)
        expect(decoded.rest.equals(next)).toBe(true)
      }),
      runs,
    )
  })

  it('chunked encoding equals one-shot encoding', () => {
    fc.assert(
      fc.property(body, cuts, (input, encodeCuts) => {
        expect(encodeChunks(cut(input, encodeCuts)).equals(encodeDotBody(input))).toBe(true)
      }),
      runs,
    )
  })

  it('the wire has no bare CR or LF, no unstuffed dot line, and CRLF.CRLF only at its end', () => {
    fc.assert(
      fc.property(body, cuts, (input, encodeCuts) => {
        const wire = encodeChunks(cut(input, encodeCuts))
        for (let index = 0; index < wire.length; index++) {
          if (wire[index] === CR) expect(wire[index + 1]).toBe(LF)
          if (wire[index] === LF) expect(wire[index - 1]).toBe(CR)
        }
        const lines = wire.toString('latin1').split('\r\n')
        expect(lines.pop()).toBe('')
        expect(lines.pop()).toBe('.')
        for (const line of lines) if (line.startsWith('.')) expect(line.startsWith('..')).toBe(true)
        const text = wire.toString('latin1')
        if (text !== '.\r\n') expect(text.indexOf('\r\n.\r\n')).toBe(text.length - 5)
      }),
      runs,
    )
  })

  it('the decoder returns the body or waits: arbitrary wire never throws before end()', () => {
    fc.assert(
      fc.property(body, cuts, (wire, decodeCuts) => {
        const decoder = new DotDecoder()
        let total = 0
        for (const piece of cut(wire, decodeCuts)) {
          if (decoder.done) break
          const result = decoder.push(piece)
          total += result.chunks.reduce((sum, chunk) => sum + chunk.length, 0) + (result.rest?.length ?? 0)
        }
        expect(total).toBeLessThanOrEqual(wire.length)
      }),
      runs,
    )
  })
})
