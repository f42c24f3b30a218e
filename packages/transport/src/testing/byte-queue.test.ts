import { describe, expect, it } from 'vitest'
import { ByteQueue } from './byte-queue.ts'

function queueOf(...chunks: string[]): ByteQueue {
  const queue = new ByteQueue()
  for (const chunk of chunks) queue.push(Buffer.from(chunk))
  return queue
}

describe('ByteQueue', () => {
  it.each([
    [['abc\r\n.\r\n'], '\r\n.\r\n', 0, 3],
    [['abc\r', '\n.', '\r\n'], '\r\n.\r\n', 0, 3],
    [['a', 'b', 'c', '\r', '\n', '.', '\r', '\n'], '\r\n.\r\n', 0, 3],
    [['\r\n.\r\nx\r\n.\r\n'], '\r\n.\r\n', 1, 6],
    [['ab', 'cd'], 'x', 0, -1],
    [['line one\n', 'two\n'], '\n', 9, 12],
  ])('finds %j / %j from %i at %i', (chunks, needle, from, expected) => {
    expect(queueOf(...chunks).indexOf(Buffer.from(needle), from)).toBe(expected)
  })

  it('takes across chunk boundaries', () => {
    const queue = queueOf('he', 'llo', ' world')
    expect(queue.take(4).toString()).toBe('hell')
    expect(queue.length).toBe(7)
    expect(queue.takeAll().toString()).toBe('o world')
    expect(queue.length).toBe(0)
  })
})
