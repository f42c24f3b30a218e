import { describe, expect, it } from 'vitest'
import { Pipe } from './pipe.ts'
import { PipeIterator } from './pipe-iterator.ts'

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

describe('Pipe batches', () => {
  it('keeps the order across batches pushed while earlier ones are unread, and counts every unread item', async () => {
    const pipe = new Pipe<number>(5)
    expect(pipe.pushAll([1, 2])).toBe(true)
    expect(pipe.pushAll([3])).toBe(true)
    const held = pipe.pushAll([4, 5])
    expect(held).toBeInstanceOf(Promise)
    expect(pipe.take()?.value).toBe(1)
    expect(await held).toBe(true)
    expect(pipe.pushAll([6, 7])).toBeInstanceOf(Promise)
    pipe.end()
    const seen: number[] = []
    for await (const item of pipe) seen.push(item)
    expect(seen).toEqual([2, 3, 4, 5, 6, 7])
  })

  it('take gives items only, never the end or the failure', () => {
    const pipe = new Pipe<number>()
    expect(pipe.push(1)).toBe(true)
    pipe.fail(new Error('broken'))
    expect(pipe.take()).toEqual({ done: false, value: 1 })
    expect(pipe.take()).toBeUndefined()
    expect(() => pipe.poll()).toThrow('broken')
  })
})

describe('PipeIterator', () => {
  /** A task that pushes `items`, then waits for `finish` before it settles (the drain of a real task). */
  function taskOf(pipe: Pipe<number>, items: number[], log: string[]): { start: () => Promise<void>; finish: () => void } {
    let finish: () => void = () => undefined
    const finished = new Promise<void>((resolve) => (finish = resolve))
    return {
      finish: () => finish(),
      start: async () => {
        log.push('start')
        for (const item of items) if (!(await pipe.push(item))) break
        pipe.end()
        await finished
        log.push('settled')
      },
    }
  }

  it('starts the task on the first next() only, and ends only once the task has settled', async () => {
    const log: string[] = []
    const pipe = new Pipe<number>(8)
    const task = taskOf(pipe, [1, 2], log)
    const iterator = new PipeIterator(pipe, task)
    expect(log).toEqual([])
    expect(await iterator.next()).toEqual({ done: false, value: 1 })
    expect(log).toEqual(['start'])
    expect(await iterator.next()).toEqual({ done: false, value: 2 })
    const end = iterator.next()
    let ended = false
    void end.then(() => (ended = true))
    await new Promise((resolve) => setImmediate(resolve))
    expect(ended).toBe(false) // the pipe has ended, the task has not
    task.finish()
    expect(await end).toEqual({ done: true, value: undefined })
    expect(log).toEqual(['start', 'settled'])
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
  })

  it('never starts the task when it is returned before the first next()', async () => {
    const log: string[] = []
    const pipe = new Pipe<number>()
    const iterator = new PipeIterator(pipe, taskOf(pipe, [1], log))
    expect(await iterator.return()).toEqual({ done: true, value: undefined })
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
    expect(log).toEqual([])
  })

  it('tells the producer to stop when the consumer leaves, and waits for it', async () => {
    const log: string[] = []
    const pipe = new Pipe<number>(1)
    const task = taskOf(pipe, [1, 2, 3], log)
    const seen: number[] = []
    const loop = (async () => {
      for await (const item of new PipeIterator(pipe, task)) {
        seen.push(item)
        break
      }
      log.push('left')
    })()
    await new Promise((resolve) => setImmediate(resolve))
    expect(log).toEqual(['start'])
    task.finish()
    await loop
    expect(seen).toEqual([1])
    expect(log).toEqual(['start', 'settled', 'left'])
    expect(pipe.gone).toBe(true)
  })

  it('hands items to concurrent next() calls in order, and rethrows the failure after them', async () => {
    const pipe = new Pipe<number>()
    const iterator = new PipeIterator(pipe)
    const first = iterator.next()
    const second = iterator.next()
    expect(pipe.pushAll([1, 2])).toBe(true)
    expect(await Promise.all([first, second])).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
    ])
    pipe.fail(new Error('broken'))
    await expect(iterator.next()).rejects.toThrow('broken')
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
  })

  it('throw() ends the iteration and rejects with the error', async () => {
    const pipe = new Pipe<number>()
    const iterator = new PipeIterator(pipe)
    await expect(iterator.throw(new Error('stop'))).rejects.toThrow('stop')
    expect(pipe.gone).toBe(true)
    expect(pipe.push(1)).toBe(false)
  })
})
