import { AbortError } from '@netc/transport'

/** BackoffOptions: a jittered exponential backoff, bounded. */
export interface BackoffOptions {
  /** The first wait, in milliseconds. */
  baseDelay: number
  /** No wait is longer than this, in milliseconds. */
  maxDelay: number
}

/**
 * backoffDelay: the wait before try `attempt + 1` after `attempt` failed tries (from 1): `baseDelay`
 * doubled each time, capped at `maxDelay`, then jittered to between half and all of that, so that many
 * clients cut off at once (a server restart) do not all come back in the same millisecond ("equal
 * jitter", AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 *
 * ```ts
 * backoffDelay(1, { baseDelay: 100, maxDelay: 5000 })   // 50..100
 * backoffDelay(4, { baseDelay: 100, maxDelay: 5000 })   // 400..800
 * backoffDelay(20, { baseDelay: 100, maxDelay: 5000 })  // 2500..5000
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  if (attempt < 1) return 0
  const ceiling = Math.min(options.maxDelay, options.baseDelay * 2 ** Math.min(attempt - 1, 30))
  return Math.round(ceiling / 2 + (ceiling / 2) * random())
}

/** sleep: resolves after `ms` milliseconds; rejects with AbortError when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new AbortError('the wait was aborted', { cause: signal?.reason }))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, Math.max(0, ms))
    if (signal?.aborted === true) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
