import { describe, expect, it } from 'vitest'
import { InvalidStateError } from '../errors/index.ts'
import { DotEncoder, encodeDotBody } from './dot-encoder.ts'

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1')

/** Encodes `body` through a DotEncoder, cut into the given chunks. */
function encodeChunked(body: Buffer, cuts: number[]): Buffer {
  const encoder = new DotEncoder()
  const parts: Buffer[] = []
  let start = 0
  for (const cut of [...cuts, body.length]) {
    parts.push(encoder.push(body.subarray(start, cut)))
    start = cut
  }
  parts.push(encoder.end())
  return Buffer.concat(parts)
}

// [name, body, wire]: real bodies and the smuggling sequences of December 2023.
const cases: Array<[string, string, string]> = [
  ['empty body', '', '.\r\n'],
  ['one CRLF line', 'Hello\r\n', 'Hello\r\n.\r\n'],
  ['no final line ending', 'Hello', 'Hello\r\n.\r\n'],
  ['bare LF lines', 'a\nb\n', 'a\r\nb\r\n.\r\n'],
  ['bare CR lines', 'a\rb\r', 'a\r\nb\r\n.\r\n'],
  ['mixed endings', 'a\r\nb\nc\rd', 'a\r\nb\r\nc\r\nd\r\n.\r\n'],
  ['CR CR LF', 'a\r\r\nb', 'a\r\n\r\nb\r\n.\r\n'],
  ['LF CR is two line endings', 'a\n\rb', 'a\r\n\r\nb\r\n.\r\n'],
  ['a line starting with a dot', 'a\r\n.hidden\r\n', 'a\r\n..hidden\r\n.\r\n'],
  ['a ".." line', '..\r\n', '...\r\n.\r\n'],
  ['a lone "." line inside the body', 'one\r\n.\r\ntwo\r\n', 'one\r\n..\r\ntwo\r\n.\r\n'],
  ['a dot on the first line', '.first', '..first\r\n.\r\n'],
  ['only a dot', '.', '..\r\n.\r\n'],
  ['dots not at a line start', 'a.b.\r\n', 'a.b.\r\n.\r\n'],
  ['smuggling \\n.\\n', 'x\n.\nMAIL FROM:<a@b>\n', 'x\r\n..\r\nMAIL FROM:<a@b>\r\n.\r\n'],
  ['smuggling \\r.\\r', 'x\r.\rMAIL FROM:<a@b>\r', 'x\r\n..\r\nMAIL FROM:<a@b>\r\n.\r\n'],
  ['smuggling \\r\\n.\\n', 'x\r\n.\nRSET\r\n', 'x\r\n..\r\nRSET\r\n.\r\n'],
  ['smuggling \\n.\\r\\n', 'x\n.\r\nRSET\r\n', 'x\r\n..\r\nRSET\r\n.\r\n'],
  ['smuggling \\r.\\r\\n', 'x\r.\r\nRSET\r\n', 'x\r\n..\r\nRSET\r\n.\r\n'],
  ['smuggling a full terminator', 'x\r\n.\r\nQUIT\r\n', 'x\r\n..\r\nQUIT\r\n.\r\n'],
  ['only line endings', '\n\r\r\n', '\r\n\r\n\r\n.\r\n'],
  ['8-bit and NUL octets pass', 'caf\xe9\x00\xff\n', 'caf\xe9\x00\xff\r\n.\r\n'],
]

describe('DotEncoder', () => {
  it.each(cases)('%s', (_name, body, wire) => {
    expect(encodeDotBody(latin1(body)).toString('latin1')).toBe(wire)
  })

  it.each(cases)('%s, split at every byte position', (_name, body, wire) => {
    const input = latin1(body)
    for (let cut = 0; cut <= input.length; cut++) {
      expect(encodeChunked(input, [cut]).toString('latin1')).toBe(wire)
    }
  })

  it.each(cases)('%s, one byte per chunk', (_name, body, wire) => {
    const input = latin1(body)
    const cuts = Array.from({ length: input.length }, (_, index) => index)
    expect(encodeChunked(input, cuts).toString('latin1')).toBe(wire)
  })

  it('joins a CR ending one chunk and a LF opening the next into one CRLF', () => {
    const encoder = new DotEncoder()
    expect(encoder.push(latin1('a\r')).toString('latin1')).toBe('a\r\n')
    expect(encoder.push(latin1('\n.b')).toString('latin1')).toBe('..b')
    expect(encoder.end().toString('latin1')).toBe('\r\n.\r\n')
  })

  it('returns an empty buffer for an empty chunk and for a swallowed LF', () => {
    const encoder = new DotEncoder()
    expect(encoder.push(new Uint8Array(0)).length).toBe(0)
    expect(encoder.push(latin1('x\r')).toString('latin1')).toBe('x\r\n')
    expect(encoder.push(latin1('\n')).length).toBe(0)
    expect(encoder.push(latin1('.')).toString('latin1')).toBe('..')
    expect(encoder.end().toString('latin1')).toBe('\r\n.\r\n')
  })

  it('accepts a plain Uint8Array and a string (as UTF-8)', () => {
    const bytes = new Uint8Array([0x2e, 0x0a, 0x61])
    expect(encodeDotBody(bytes).toString('latin1')).toBe('..\r\na\r\n.\r\n')
    expect(encodeDotBody('é\n.').toString('utf8')).toBe('é\r\n..\r\n.\r\n')
  })

  it('encodes a 2 MB body without line endings in one piece', () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 0x61)
    const wire = encodeDotBody(body)
    expect(wire.length).toBe(body.length + 5)
    expect(wire.subarray(0, body.length).equals(body)).toBe(true)
    expect(wire.subarray(body.length).toString('latin1')).toBe('\r\n.\r\n')
  })

  it('refuses to push after end() and to end twice', () => {
    const encoder = new DotEncoder()
    encoder.end()
    expect(() => encoder.push(latin1('x'))).toThrow(InvalidStateError)
    expect(() => encoder.end()).toThrow(InvalidStateError)
  })
})
