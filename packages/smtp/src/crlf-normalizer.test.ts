import fc from 'fast-check'
import { decodeDotBody, encodeDotBody } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { CrlfNormalizer } from './crlf-normalizer.ts'

function normalise(chunks: readonly (string | Buffer)[]): Buffer {
  const normalizer = new CrlfNormalizer()
  return Buffer.concat([...chunks.map((chunk) => normalizer.push(chunk)), normalizer.end()])
}

describe('CrlfNormalizer', () => {
  it.each([
    ['a\nb\rc\r\n', 'a\r\nb\r\nc\r\n'],
    ['\n.\n', '\r\n.\r\n'],
    ['\r.\r', '\r\n.\r\n'],
    ['\r\n.\n', '\r\n.\r\n'],
    ['\r\r\n\n', '\r\n\r\n\r\n'],
    ['no end', 'no end\r\n'],
    ['', ''],
    ['.\r\n', '.\r\n'],
  ])('%j → %j', (input, expected) => {
    expect(normalise([input]).toString('latin1')).toBe(expected)
  })

  it('joins a CR ending one chunk with the LF opening the next', () => {
    expect(normalise(['a\r', '\nb\r', '', '\n']).toString()).toBe('a\r\nb\r\n')
    expect(normalise(['a\r', 'b']).toString()).toBe('a\r\nb\r\n')
  })

  it('returns a clean chunk itself', () => {
    const chunk = Buffer.from('a\r\nb\r\n')
    expect(new CrlfNormalizer().push(chunk)).toBe(chunk)
  })

  it('finds a bare LF or CR deep in a large message and normalises only from there', () => {
    const clean = Buffer.from(`${'y'.repeat(76)}\r\n`.repeat(8000), 'latin1') // 624,000 bytes
    expect(new CrlfNormalizer().push(clean)).toBe(clean)
    for (const [at, bare] of [[600_000, '\n'], [600_000, '\r'], [clean.length - 3, '\n']] as const) {
      const message = Buffer.from(clean)
      message.write(bare, at, 'latin1')
      const expected = message.toString('latin1').replace(/\r?\n|\r/g, '\r\n')
      expect(normalise([message]).toString('latin1')).toBe(expected)
      expect(normalise([message]).length).toBe(clean.length + 1)
    }
  })

  const bodies = fc.array(fc.oneof(fc.constantFrom('\r', '\n', '.', '\r\n', 'a', 'MAIL FROM:<x@y>'), fc.string()), { maxLength: 30 })
  const splits = fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 5 })

  it('gives what DATA delivers (the dot-encoded body, decoded), whatever the chunking', () => {
    fc.assert(
      fc.property(bodies, splits, (pieces, cuts) => {
        const body = Buffer.from(pieces.join(''))
        const points = [...new Set(cuts.map((cut) => Math.min(cut, body.length)))].sort((a, b) => a - b)
        const chunks = [0, ...points].map((from, i) => body.subarray(from, [...points, body.length][i]))
        const viaData = decodeDotBody(encodeDotBody(body))
        expect(normalise(chunks).equals(viaData.body)).toBe(true)
        expect(normalise(chunks).toString('latin1')).not.toMatch(/\r(?!\n)|(?<!\r)\n/)
      }),
    )
  })
})
