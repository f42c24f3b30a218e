import { describe, expect, it } from 'vitest'
import { InvalidStateError, ProtocolError } from '../errors/index.ts'
import { DotDecoder, decodeDotBody } from './dot-decoder.ts'

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1')

/** Decodes `wire` pushed in the given chunks; returns the body, the rest and whether it was done. */
function decodeChunked(wire: Buffer, cuts: number[]): { body: string; rest: string; done: boolean } {
  const decoder = new DotDecoder()
  const body: Buffer[] = []
  const rest: Buffer[] = []
  let start = 0
  for (const cut of [...cuts, wire.length]) {
    const chunk = wire.subarray(start, cut)
    start = cut
    if (decoder.done) {
      rest.push(chunk)
      continue
    }
    const result = decoder.push(chunk)
    body.push(...result.chunks)
    if (result.done) rest.push(result.rest!)
  }
  return {
    body: Buffer.concat(body).toString('latin1'),
    rest: Buffer.concat(rest).toString('latin1'),
    done: decoder.done,
  }
}

// [name, wire, body, rest]: what servers send.
const cases: Array<[string, string, string, string]> = [
  ['empty body', '.\r\n', '', ''],
  ['one line', 'Hello\r\n.\r\n', 'Hello\r\n', ''],
  ['a "..": line loses its first dot', 'a\r\n..hidden\r\n.\r\n', 'a\r\n.hidden\r\n', ''],
  ['a lone "." line after stuffing', 'one\r\n..\r\ntwo\r\n.\r\n', 'one\r\n.\r\ntwo\r\n', ''],
  ['a "..." line', '...\r\n.\r\n', '..\r\n', ''],
  ['a first line starting with dots', '..x\r\n.\r\n', '.x\r\n', ''],
  ['an unstuffed ".x" line loses its dot (RFC 1939 section 3)', '.x\r\n.\r\n', 'x\r\n', ''],
  ['the rest is the next reply (pipelining)', 'a\r\n.\r\n+OK 2 octets\r\n', 'a\r\n', '+OK 2 octets\r\n'],
  ['a bare LF terminator is tolerated', 'a\n.\n+OK', 'a\n', '+OK'],
  ['bare LF line endings pass as received', 'a\nb\r\n.\r\n', 'a\nb\r\n', ''],
  ['a bare CR is not a line start', 'a\r.\r\n.\r\n', 'a\r.\r\n', ''],
  ['".\\r" followed by other octets is not a terminator', 'x\r\n.\rmore\r\n.\r\n', 'x\r\n\rmore\r\n', ''],
  ['dots inside a line pass', 'a.b..c\r\n.\r\n', 'a.b..c\r\n', ''],
  ['8-bit and NUL octets pass', '\xe9\x00\xff\r\n.\r\nX', '\xe9\x00\xff\r\n', 'X'],
  ['two bodies back to back', 'a\r\n.\r\nb\r\n.\r\n', 'a\r\n', 'b\r\n.\r\n'],
]

describe('DotDecoder', () => {
  it.each(cases)('%s', (_name, wire, body, rest) => {
    const decoded = decodeDotBody(latin1(wire))
    expect(decoded.body.toString('latin1')).toBe(body)
    expect(decoded.rest.toString('latin1')).toBe(rest)
  })

  it.each(cases)('%s, split at every byte position', (_name, wire, body, rest) => {
    const input = latin1(wire)
    for (let cut = 0; cut <= input.length; cut++) {
      expect(decodeChunked(input, [cut])).toEqual({ body, rest, done: true })
    }
  })

  it.each(cases)('%s, one byte per chunk', (_name, wire, body, rest) => {
    const input = latin1(wire)
    const cuts = Array.from({ length: input.length }, (_, index) => index)
    expect(decodeChunked(input, cuts)).toEqual({ body, rest, done: true })
  })

  it('yields zero-copy subarrays of the input', () => {
    const wire = latin1('line one\r\n..two\r\nthree\r\n.\r\nnext')
    const { chunks, done, rest } = new DotDecoder().push(wire)
    expect(done).toBe(true)
    for (const chunk of [...chunks, rest!]) expect(chunk.buffer).toBe(wire.buffer)
    expect(chunks.map((chunk) => chunk.toString('latin1'))).toEqual(['line one\r\n', '.two\r\nthree\r\n'])
  })

  it('is not done until the terminating line is complete', () => {
    const decoder = new DotDecoder()
    expect(decoder.push(latin1('a\r\n.'))).toEqual({ chunks: [latin1('a\r\n')], done: false })
    expect(decoder.push(latin1('\r'))).toEqual({ chunks: [], done: false })
    expect(decoder.push(latin1('\n'))).toEqual({ chunks: [], done: true, rest: Buffer.alloc(0) })
  })

  it('decodes a 2 MB body without line endings', () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 0x61)
    const decoded = decodeDotBody(Buffer.concat([body, latin1('\r\n.\r\n')]))
    expect(decoded.body.length).toBe(body.length + 2)
    expect(decoded.body.subarray(0, body.length).equals(body)).toBe(true)
  })

  it('throws ProtocolError without a terminating line', () => {
    expect(() => decodeDotBody(latin1('a\r\n'))).toThrow(ProtocolError)
    expect(() => decodeDotBody(latin1('a\r\n.'))).toThrow(ProtocolError)
    expect(() => decodeDotBody(latin1('a\r\n.x\r\n'))).toThrow(ProtocolError)
    expect(() => decodeDotBody(latin1('a\r\n.\r'))).toThrow(ProtocolError)
    expect(() => decodeDotBody(latin1('x.\r\n'))).toThrow(ProtocolError)
  })

  it('refuses to push after the terminating line', () => {
    const decoder = new DotDecoder()
    decoder.push(latin1('.\r\n'))
    expect(() => decoder.push(latin1('x'))).toThrow(InvalidStateError)
    expect(() => decoder.end()).not.toThrow()
  })
})
