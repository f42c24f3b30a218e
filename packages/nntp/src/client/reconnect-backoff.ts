import { AbortError, InvalidArgumentError } from '@netc/transport'

/**
 * NntpReconnectOptions: how an `NntpReader` opens its connection again after the server closed it (an
 * idle timeout, a `400`, a restart): up to `maxAttempts` tries in a row, spaced by a jittered exponential
 * backoff from `baseDelay` to `maxDelay` milliseconds (the first try at once).
 */
export interface NntpReconnectOptions {
  /** Tries in a row (reconnection and the read again) before the error is thrown (default 6). */
  maxAttempts?: number
  /** The wait after the second failure, in milliseconds (default 100); it doubles after each. */
  baseDelay?: number
  /** The longest wait, in milliseconds (default 5,000). */
  maxDelay?: number
}

/** resolveReconnect: the defaults filled in; InvalidArgumentError for a count or delay out of range. */
export function resolveReconnect(options: NntpReconnectOptions = {}): Required<NntpReconnectOptions> {
  const resolved = { maxAttempts: options.maxAttempts ?? 6, baseDelay: options.baseDelay ?? 100, maxDelay: options.maxDelay ?? 5000 }
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) throw new InvalidArgumentError(`reconnect.maxAttempts: ${String(resolved.maxAttempts)} (a positive integer)`)
  for (const key of ['baseDelay', 'maxDelay'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) throw new InvalidArgumentError(`reconnect.${key}: ${String(resolved[key])} (milliseconds, 0 or more)`)
  }
  return resolved
}

/**
 * reconnectDelay: the wait before try `failures + 1`: none after the first failure (an idle timeout
 * needs no backoff), then `baseDelay` doubled each time, capped at `maxDelay`, jittered to between half
 * and all of it ("equal jitter"), so readers cut off together by a restart do not return together.
 *
 * ```ts
 * reconnectDelay(1, { baseDelay: 100, maxDelay: 5000 })   // 0
 * reconnectDelay(2, { baseDelay: 100, maxDelay: 5000 })   // 50..100
 * reconnectDelay(5, { baseDelay: 100, maxDelay: 5000 })   // 400..800
 * ```
 */
export function reconnectDelay(failures: number, options: { baseDelay: number; maxDelay: number }, random: () => number = Math.random): number {
  if (failures < 2) return 0
  const ceiling = Math.min(options.maxDelay, options.baseDelay * 2 ** Math.min(failures - 2, 30))
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
