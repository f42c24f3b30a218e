/** The two ways out of a `settleOnce` operation; only the first call of either counts. */
export interface Settle<T> {
  resolve(value: T): void
  fail(error: Error): void
}

/** The deadline and the signal that bound a `settleOnce` operation, and what each failure is. */
export interface SettleOnceOptions {
  /** Milliseconds before the operation fails with `timedOut()`; `0` waits without a limit. */
  timeout: number
  timedOut: () => Error
  signal?: AbortSignal | undefined
  aborted: () => Error
  /** Runs once on any failure (the operation's own, the deadline's, the signal's): destroy what was opened. */
  onFail?: (error: Error) => void
}

/**
 * settleOnce: the promise of an event-driven operation (a connect, a TLS handshake, a TLS shutdown) that the
 * first of three things settles: the operation itself, its deadline, or the caller's signal. The timer, the
 * abort listener and whatever `start` returns as its cleanup (its own listeners) are removed then, so that a
 * late event changes nothing. A signal already aborted fails at once, before `start` runs.
 *
 * ```ts
 * settleOnce<Socket>({ timeout: 5000, timedOut: () => new TimeoutError('…'), signal, aborted: () => new AbortError('…'),
 *   onFail: () => socket.destroy() }, (settle) => {
 *   socket.once('connect', () => settle.resolve(socket))
 *   return () => socket.off('connect', …)
 * })
 * ```
 */
export function settleOnce<T>(options: SettleOnceOptions, start: (settle: Settle<T>) => (() => void) | undefined): Promise<T> {
  const { timeout, signal } = options
  if (signal?.aborted === true) {
    const error = options.aborted()
    options.onFail?.(error)
    return Promise.reject(error)
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false
    let timer: NodeJS.Timeout | undefined
    const cleanups: (() => void)[] = []
    const finish = (): boolean => {
      if (settled) return false
      settled = true
      if (timer !== undefined) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      for (const cleanup of cleanups) cleanup()
      return true
    }
    const settle: Settle<T> = {
      resolve(value) {
        if (finish()) resolve(value)
      },
      fail(error) {
        if (!finish()) return
        options.onFail?.(error)
        reject(error)
      },
    }
    const onAbort = (): void => settle.fail(options.aborted())
    if (timeout > 0) timer = setTimeout(() => settle.fail(options.timedOut()), timeout)
    signal?.addEventListener('abort', onAbort, { once: true })
    const cleanup = start(settle)
    // `start` may have settled synchronously, before its cleanup was known.
    if (cleanup !== undefined) {
      if (settled) cleanup()
      else cleanups.push(cleanup)
    }
  })
}
