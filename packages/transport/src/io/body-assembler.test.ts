import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../errors/index.ts'
import { BodyAssembler } from './body-assembler.ts'

const pieces = (text: string, step: number): Buffer[] => {
  const bytes = Buffer.from(text, 'latin1')
  const out: Buffer[] = []
  for (let at = 0; at < bytes.length; at += step) out.push(bytes.subarray(at, at + step))
  return out
}

describe('BodyAssembler', () => {
  const text = 'line one\r\nline two\r\n'.repeat(500) // 10,000 octets

  it.each([
    ['no hint', 0],
    ['an exact hint', 10_000],
    ['a hint too small', 100],
    ['a hint a little too large', 12_000],
    ['a hint far too large', 1_000_000],
  ])('gives back exactly the octets pushed with %s', (_, hint) => {
    for (const step of [1, 7, 4096, 10_000]) {
      const assembler = new BodyAssembler(1 << 20, hint)
      for (const piece of pieces(text, step)) assembler.push(piece)
      expect(assembler.size).toBe(10_000)
      const body = assembler.finish()
      expect(body.toString('latin1')).toBe(text)
    }
  })

  it('copies: the body shares no memory with the pieces it was given', () => {
    const chunk = Buffer.from(`${text}more after the body`, 'latin1')
    const assembler = new BodyAssembler(1 << 20, 10_000)
    assembler.push(chunk.subarray(0, 10_000))
    const body = assembler.finish()
    chunk.fill(0x78)
    expect(body.toString('latin1')).toBe(text)
    expect(body.buffer).not.toBe(chunk.buffer)
    // An exact hint above the pool size: one allocation of exactly the body's size.
    expect(body.buffer.byteLength).toBe(10_000)
  })

  it('trims a body that used less than half of a wrong hint to a Buffer of its own size', () => {
    const assembler = new BodyAssembler(1 << 20, 1_000_000)
    assembler.push(Buffer.from(text, 'latin1'))
    const body = assembler.finish()
    expect(body.length).toBe(10_000)
    expect(body.buffer.byteLength).toBeLessThan(1_000_000)
  })

  it('caps the hint at maxBytes and refuses a body past it with a ProtocolError', () => {
    const assembler = new BodyAssembler(16, 1_000_000)
    assembler.push(Buffer.alloc(16))
    expect(() => assembler.push(Buffer.alloc(1))).toThrow(ProtocolError)
  })

  it('gives an empty body when nothing was pushed', () => {
    expect(new BodyAssembler(16, 8).finish().length).toBe(0)
    expect(new BodyAssembler(16).finish().length).toBe(0)
  })
})
