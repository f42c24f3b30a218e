import { describe, expect, it } from 'vitest'
import { Pipe } from './pipe.ts'

describe('Pipe', () => {
  it('hands items over in order and ends', async () => {
    const pipe = new Pipe<number>(2)
    const producing = (async () => {
      for (let i = 1; i <= 5; i++) await pipe.push(i)
      pipe.end()
    })()
    const seen = []
    for await (const item of pipe) seen.push(item)
    await producing
    expect(seen).toEqual([1, 2, 3, 4, 5])
  })

  it('holds the producer at the high-water mark until the consumer reads', async () => {
    const pipe = new Pipe<number>(2)
    expect(pipe.push(1)).toBe(true)
    const second = pipe.push(2)
    expect(second).toBeInstanceOf(Promise)
    const iterator = pipe[Symbol.asyncIterator]()
    expect((await iterator.next()).value).toBe(1)
    expect(await second).toBe(true)
  })

  it('tells the producer when the consumer has gone', async () => {
    const pipe = new Pipe<number>(1)
    const waiting = pipe.push(1)
    for await (const item of pipe) {
      expect(item).toBe(1)
      break
    }
    expect(await waiting).toBe(true)
    expect(pipe.gone).toBe(true)
    expect(pipe.push(2)).toBe(false)
  })

  it('delivers the items before the failure', async () => {
    const pipe = new Pipe<number>()
    await pipe.push(1)
    pipe.fail(new Error('broken'))
    const seen: number[] = []
    await expect((async () => {
      for await (const item of pipe) seen.push(item)
    })()).rejects.toThrow('broken')
    expect(seen).toEqual([1])
  })

  it('pushAll hands a batch over at once, holds the producer past the high-water mark, and tells it when the consumer has gone', async () => {
    const pipe = new Pipe<number>(4)
    expect(pipe.pushAll([])).toBe(true)
    expect(pipe.pushAll([1, 2])).toBe(true)
    const held = pipe.pushAll([3, 4, 5])
    expect(held).toBeInstanceOf(Promise)
    const seen: number[] = []
    for await (const item of pipe) {
      seen.push(item)
      if (seen.length === 3) break
    }
    expect(seen).toEqual([1, 2, 3])
    expect(await held).toBe(true) // released once fewer than 4 were unread
    expect(pipe.pushAll([6])).toBe(false)
    const gone = new Pipe<number>(1)
    const waiting = gone.pushAll([1, 2])
    for await (const item of gone) if (item === 1) break
    expect(await waiting).toBe(false)
  })
})
