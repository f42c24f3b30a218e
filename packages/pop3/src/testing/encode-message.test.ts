import { describe, expect, it } from 'vitest'
import { encodeMultiLine, topOf, wireMessage } from './encode-message.ts'

describe('the fake server encoding', () => {
  it.each([
    ['', ''],
    ['a\r\n', 'a\r\n'],
    ['a', 'a\r\n'],
    ['a\n', 'a\n'],
    ['a\r', 'a\r\r\n'],
  ])('wireMessage(%j) = %j', (stored, wire) => {
    expect(wireMessage(Buffer.from(stored)).toString()).toBe(wire)
  })

  it.each([
    ['', '.\r\n'],
    ['.\r\n', '..\r\n.\r\n'],
    ['a\r\n.b\r\n..\r\n', 'a\r\n..b\r\n...\r\n.\r\n'],
    ['x.\r\ny\n.z\n', 'x.\r\ny\n..z\n.\r\n'],
  ])('encodeMultiLine(%j) = %j', (wire, encoded) => {
    expect(encodeMultiLine(Buffer.from(wire)).toString()).toBe(encoded)
  })

  it.each([
    ['H: 1\r\n\r\na\r\nb\r\nc\r\n', 0, 'H: 1\r\n\r\n'],
    ['H: 1\r\n\r\na\r\nb\r\nc\r\n', 2, 'H: 1\r\n\r\na\r\nb\r\n'],
    ['H: 1\r\n\r\na\r\n', 10, 'H: 1\r\n\r\na\r\n'],
    ['H: 1\n\nbody\n', 1, 'H: 1\n\nbody\n'],
    ['only headers\r\n', 3, 'only headers\r\n'],
  ])('topOf(%j, %d)', (message, lines, top) => {
    expect(topOf(Buffer.from(message), lines).toString()).toBe(top)
  })
})
