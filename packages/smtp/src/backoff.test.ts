import { AbortError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { backoffDelay, sleep } from './backoff.ts'

describe('backoffDelay', () => {
  const options = { baseDelay: 100, maxDelay: 5000 }
  it.each([
    [0, 0, 0],
    [1, 50, 100],
    [2, 100, 200],
    [4, 400, 800],
    [7, 2500, 5000],
    [1000, 2500, 5000],
  ])('attempt %i waits between %i and %i ms', (attempt, low, high) => {
    expect(backoffDelay(attempt, options, () => 0)).toBe(low)
    expect(backoffDelay(attempt, options, () => 1)).toBe(high)
    const sample = backoffDelay(attempt, options)
    expect(sample).toBeGreaterThanOrEqual(low)
    expect(sample).toBeLessThanOrEqual(high)
  })
})

describe('sleep', () => {
  it('rejects with AbortError when aborted', async () => {
    const controller = new AbortController()
    const wait = sleep(60_000, controller.signal)
    controller.abort()
    await expect(wait).rejects.toThrow(AbortError)
  })
})
