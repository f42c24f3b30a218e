import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { settleOnce, type SettleOnceOptions } from './settle-once.ts'

class TimedOut extends Error {}
class Aborted extends Error {}

function optionsWith(extra: Partial<SettleOnceOptions> = {}): SettleOnceOptions {
  return { timeout: 0, timedOut: () => new TimedOut('deadline'), aborted: () => new Aborted('aborted'), ...extra }
}

/** An operation driven by an emitter's `done` and `broken` events; counts its listeners. */
function operation(emitter: EventEmitter) {
  return (settle: { resolve(value: string): void; fail(error: Error): void }) => {
    const onDone = (value: string): void => settle.resolve(value)
    const onBroken = (error: Error): void => settle.fail(error)
    emitter.on('done', onDone)
    emitter.on('broken', onBroken)
    return () => {
      emitter.off('done', onDone)
      emitter.off('broken', onBroken)
    }
  }
}

describe('settleOnce', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('resolves with the first outcome and removes the listeners, so that later events change nothing', async () => {
    const emitter = new EventEmitter()
    const onFail = vi.fn()
    const promise = settleOnce(optionsWith({ onFail }), operation(emitter))
    emitter.emit('done', 'first')
    emitter.emit('broken', new Error('late'))
    await expect(promise).resolves.toBe('first')
    expect(emitter.listenerCount('done') + emitter.listenerCount('broken')).toBe(0)
    expect(onFail).not.toHaveBeenCalled()
  })

  it('fails with the operation error and runs onFail once', async () => {
    const emitter = new EventEmitter()
    const onFail = vi.fn()
    const promise = settleOnce(optionsWith({ onFail }), operation(emitter))
    const error = new Error('refused')
    emitter.emit('broken', error)
    emitter.emit('done', 'too late')
    await expect(promise).rejects.toBe(error)
    expect(onFail).toHaveBeenCalledTimes(1)
    expect(onFail).toHaveBeenCalledWith(error)
  })

  it('fails with timedOut() at the deadline and clears the listeners', async () => {
    vi.useFakeTimers()
    const emitter = new EventEmitter()
    const onFail = vi.fn()
    const promise = settleOnce(optionsWith({ timeout: 1000, onFail }), operation(emitter))
    const outcome = expect(promise).rejects.toBeInstanceOf(TimedOut)
    vi.advanceTimersByTime(999)
    expect(onFail).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    await outcome
    expect(onFail).toHaveBeenCalledTimes(1)
    expect(emitter.listenerCount('done')).toBe(0)
  })

  it('clears its timer once settled (no timer keeps running after a success)', async () => {
    vi.useFakeTimers()
    const emitter = new EventEmitter()
    const promise = settleOnce(optionsWith({ timeout: 1000 }), operation(emitter))
    emitter.emit('done', 'ok')
    await expect(promise).resolves.toBe('ok')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('fails with aborted() when the signal fires, and removes its abort listener when settled', async () => {
    const emitter = new EventEmitter()
    const controller = new AbortController()
    const promise = settleOnce(optionsWith({ signal: controller.signal }), operation(emitter))
    controller.abort()
    await expect(promise).rejects.toBeInstanceOf(Aborted)
    expect(emitter.listenerCount('done')).toBe(0)
  })

  it('fails at once, without starting, when the signal is already aborted', async () => {
    const start = vi.fn(() => undefined)
    const onFail = vi.fn()
    const promise = settleOnce(optionsWith({ signal: AbortSignal.abort(), onFail }), start)
    await expect(promise).rejects.toBeInstanceOf(Aborted)
    expect(start).not.toHaveBeenCalled()
    expect(onFail).toHaveBeenCalledTimes(1)
  })

  it('runs the cleanup of a start that settled synchronously', async () => {
    const cleanup = vi.fn()
    const promise = settleOnce<string>(optionsWith({ timeout: 1000 }), (settle) => {
      settle.resolve('at once')
      return cleanup
    })
    await expect(promise).resolves.toBe('at once')
    expect(cleanup).toHaveBeenCalledTimes(1)
  })
})
