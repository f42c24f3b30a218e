import { describe, expect, it } from 'vitest'
import { AbortError } from '../errors/index.ts'
import { TaskQueue } from './task-queue.ts'

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('TaskQueue', () => {
  it('runs concurrent callers one at a time, in order', async () => {
    const queue = new TaskQueue()
    const events: string[] = []
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`)
      await tick(ms)
      events.push(`end ${name}`)
      return name
    }
    const results = await Promise.all([queue.run(task('a', 15)), queue.run(task('b', 1)), queue.run(task('c', 5))])
    expect(results).toEqual(['a', 'b', 'c'])
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c'])
  })

  it('goes on after a task fails', async () => {
    const queue = new TaskQueue()
    const failing = queue.run(async () => {
      throw new Error('boom')
    })
    await expect(failing).rejects.toThrow('boom')
    await expect(queue.run(async () => 'next')).resolves.toBe('next')
  })

  it('an aborted waiting task leaves the queue without letting the next one overtake the running one', async () => {
    const queue = new TaskQueue()
    const events: string[] = []
    const controller = new AbortController()
    const first = queue.run(async () => {
      events.push('first start')
      await tick(20)
      events.push('first end')
    })
    const second = queue.run(async () => {
      events.push('second ran')
    }, controller.signal)
    const third = queue.run(async () => {
      events.push('third')
    })
    controller.abort()
    await expect(second).rejects.toBeInstanceOf(AbortError)
    await Promise.all([first, third])
    expect(events).toEqual(['first start', 'first end', 'third'])
    expect(queue.size).toBe(0)
  })

  it('starts a task queued on an idle queue at once, and one that throws before its first await rejects', async () => {
    const queue = new TaskQueue()
    let started = false
    const first = queue.run(async () => {
      started = true
    })
    expect(started).toBe(true)
    await first
    await expect(
      queue.run(() => {
        throw new Error('sync boom')
      }),
    ).rejects.toThrow('sync boom')
    expect(queue.size).toBe(0)
  })

  it('idle waits for the tasks queued before it, not for those queued after', async () => {
    const queue = new TaskQueue()
    const events: string[] = []
    void queue.run(async () => {
      await tick(10)
      events.push('a')
    })
    const idle = queue.idle().then(() => events.push('idle'))
    void queue.run(async () => {
      await tick(10)
      events.push('b')
    })
    await idle
    await queue.idle()
    expect(events).toEqual(['a', 'idle', 'b'])
  })

  it('idle resolves when everything queued has settled', async () => {
    const queue = new TaskQueue()
    let done = false
    void queue.run(async () => {
      await tick(10)
      done = true
    })
    await queue.idle()
    expect(done).toBe(true)
  })
})
