import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TimeoutError } from '../errors/index.ts'
import { ReplyDeadline } from './reply-deadline.ts'

describe('ReplyDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('expires a read that waits past its timeout, with its phase and timeout', () => {
    const expired: TimeoutError[] = []
    const deadline = new ReplyDeadline((error) => expired.push(error))
    deadline.begin(1000, 'greeting')
    vi.advanceTimersByTime(999)
    expect(expired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(expired).toHaveLength(1)
    expect(expired[0]).toBeInstanceOf(TimeoutError)
    expect(expired[0]?.phase).toBe('greeting')
    expect(expired[0]?.timeout).toBe(1000)
    expect(expired[0]?.message).toBe('no greeting from the server within 1000 ms')
  })

  it('counts each read from its own start: the timer left armed by an earlier read is re-armed, not obeyed', () => {
    const expired: TimeoutError[] = []
    const deadline = new ReplyDeadline((error) => expired.push(error))
    deadline.begin(1000, 'reply')
    vi.advanceTimersByTime(10)
    deadline.end()
    vi.advanceTimersByTime(490)
    deadline.begin(1000, 'reply') // due at 1500, while the timer still fires at 1000
    vi.advanceTimersByTime(500)
    expect(expired).toEqual([])
    vi.advanceTimersByTime(499)
    expect(expired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(expired).toHaveLength(1)
  })

  it('never expires a read that ended, and a read with timeout 0 waits without limit', () => {
    const expired: TimeoutError[] = []
    const deadline = new ReplyDeadline((error) => expired.push(error))
    for (let i = 0; i < 100; i++) {
      deadline.begin(50, 'reply')
      vi.advanceTimersByTime(40)
      deadline.end()
    }
    deadline.begin(0, 'reply')
    vi.advanceTimersByTime(60_000)
    expect(expired).toEqual([])
  })

  it('arms one timer for many reads, and lets it go once no read waits', () => {
    const deadline = new ReplyDeadline(() => undefined)
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    for (let i = 0; i < 50; i++) {
      deadline.begin(60_000, 'reply')
      deadline.end()
    }
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(60_000)
    expect(vi.getTimerCount()).toBe(0)
    setTimeoutSpy.mockRestore()
  })
})
