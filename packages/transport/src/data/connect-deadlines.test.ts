import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectDeadlines, type ConnectDeadline } from './connect-deadlines.ts'

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 })
})
afterEach(() => {
  vi.useRealTimers()
})

function pending(deadline: number, expired: string[], name: string): ConnectDeadline {
  return { deadline, expire: () => expired.push(name) }
}

describe('ConnectDeadlines', () => {
  it('expires a pending connect at its deadline, and not one deleted before', () => {
    const deadlines = new ConnectDeadlines()
    const expired: string[] = []
    const late = pending(Date.now() + 100, expired, 'late')
    const done = pending(Date.now() + 100, expired, 'done')
    deadlines.add(late)
    deadlines.add(done)
    deadlines.delete(done)
    vi.advanceTimersByTime(99)
    expect(expired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(expired).toEqual(['late'])
  })

  it('re-arms for a later deadline, and arms earlier for an earlier one', () => {
    const deadlines = new ConnectDeadlines()
    const expired: string[] = []
    deadlines.add(pending(Date.now() + 500, expired, 'b'))
    deadlines.add(pending(Date.now() + 1000, expired, 'c'))
    deadlines.add(pending(Date.now() + 100, expired, 'a'))
    vi.advanceTimersByTime(100)
    expect(expired).toEqual(['a'])
    vi.advanceTimersByTime(400)
    expect(expired).toEqual(['a', 'b'])
    vi.advanceTimersByTime(500)
    expect(expired).toEqual(['a', 'b', 'c'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('uses one timer for many connects with the same timeout', () => {
    const deadlines = new ConnectDeadlines()
    const expired: string[] = []
    for (let i = 0; i < 100; i++) {
      const entry = pending(Date.now() + 15_000, expired, String(i))
      deadlines.add(entry)
      deadlines.delete(entry)
      vi.advanceTimersByTime(1)
    }
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(15_000)
    expect(expired).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})
