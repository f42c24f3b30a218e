import { backoffDelay, sleep, type BackoffOptions } from './backoff.ts'
import { isConnectionFailure } from './reconnect-policy.ts'

/** ReconnectGateOptions: the backoff, and how many connections in a row may fail. */
export interface ReconnectGateOptions extends BackoffOptions {
  maxAttempts: number
}

/**
 * ReconnectGate: how a pool opens connections. While the server answers, connections open in parallel.
 * Once one fails (refused, reset, a `421` greeting), the others wait and a single connection probes the
 * server after a jittered, doubling wait (`backoffDelay`); the first that succeeds lets everyone through
 * again. After `maxAttempts` failures in a row every waiter gets the last error and the gate starts afresh.
 * Errors that are not the connection's (a `535` login refusal, a bad certificate) go straight to the caller.
 *
 * ```ts
 * const gate = new ReconnectGate({ maxAttempts: 6, baseDelay: 100, maxDelay: 5000 }, pool.signal)
 * const client = await gate.open(() => SmtpClient.connect(url, options))
 * ```
 */
export class ReconnectGate {
  readonly #options: ReconnectGateOptions
  readonly #signal: AbortSignal
  #failures = 0
  #probe: Promise<unknown> | undefined

  constructor(options: ReconnectGateOptions, signal: AbortSignal) {
    this.#options = options
    this.#signal = signal
  }

  /** Connections in a row that failed, since the last one that opened. */
  get failures(): number {
    return this.#failures
  }

  /** open: `connect()` now when the server is healthy, or once a probe got through; rejects when the gate gives up. */
  async open<T>(connect: () => Promise<T>): Promise<T> {
    for (;;) {
      this.#signal.throwIfAborted()
      if (this.#probe !== undefined) {
        await this.#probe // rejects with the error that made the gate give up
        continue
      }
      if (this.#failures > 0) return this.#startProbe(connect)
      try {
        return await connect()
      } catch (error) {
        if (!isConnectionFailure(error)) throw error
        if (this.#failures === 0) this.#failures = 1 // connections failing together count once
        if (this.#failures >= this.#options.maxAttempts) throw this.#giveUp(error)
      }
    }
  }

  #startProbe<T>(connect: () => Promise<T>): Promise<T> {
    const probe = this.#runProbe(connect)
    this.#probe = probe
    const clear = (): void => {
      if (this.#probe === probe) this.#probe = undefined
    }
    probe.then(clear, clear)
    return probe
  }

  async #runProbe<T>(connect: () => Promise<T>): Promise<T> {
    for (;;) {
      await sleep(backoffDelay(this.#failures, this.#options), this.#signal)
      try {
        const connection = await connect()
        this.#failures = 0
        return connection
      } catch (error) {
        if (!isConnectionFailure(error)) {
          this.#failures = 0
          throw error
        }
        this.#failures++
        if (this.#failures >= this.#options.maxAttempts) throw this.#giveUp(error)
      }
    }
  }

  #giveUp(error: unknown): unknown {
    this.#failures = 0
    return error
  }
}
