import { AbortError } from '@netc/transport'
import type { DataChannel } from './data-channel.ts'

/** neverAborted: the signal of a handler that nothing can abort (a transfer that ended at its first reply, or `ownsActivity`). */
export const neverAborted: AbortSignal = new AbortController().signal

/** transferAbortError: the `AbortError` of a transfer stopped by the caller's signal. */
export function transferAbortError(signal: AbortSignal): AbortError {
  return new AbortError('the transfer was aborted', { cause: signal.reason })
}

/**
 * TransferStop: why a transfer was cut short (the caller's abort, a data timeout), and the AbortController
 * of a handler that wants a signal (made only then). It listens to the caller's signal as an
 * EventListenerObject, so a transfer adds no closure for it (RFC 959 section 4.1.3: ABOR follows).
 *
 * ```ts
 * const stop = new TransferStop(channel, options.signal, true)   // the caller aborts → the data connection closes
 * await handler(data, stop.signal)                               // stop.reason: AbortError or TimeoutError
 * stop.release()
 * ```
 */
export class TransferStop {
  /** The first reason the transfer was stopped for. */
  reason: Error | undefined
  readonly #channel: DataChannel
  readonly #caller: AbortSignal | undefined
  readonly #controller: AbortController | undefined

  constructor(channel: DataChannel, caller: AbortSignal | undefined, wantsSignal: boolean) {
    this.#channel = channel
    this.#caller = caller
    this.#controller = wantsSignal ? new AbortController() : undefined
    if (caller === undefined) return
    if (caller.aborted) this.handleEvent()
    else caller.addEventListener('abort', this, { once: true })
  }

  /** The handler's signal: fires on abort or timeout (never, for a handler that did not want one). */
  get signal(): AbortSignal {
    return this.#controller?.signal ?? neverAborted
  }

  /** handleEvent: the caller's signal fired: whatever the handler waits on ends now. */
  handleEvent(): void {
    this.stop(transferAbortError(this.#caller as AbortSignal))
    this.#channel.close()
  }

  /** stop: notes the reason and aborts the handler's signal (the caller then destroys what it must). */
  stop(reason: Error): void {
    if (this.reason !== undefined) return
    this.reason = reason
    this.#controller?.abort(reason)
  }

  /** release: stops listening to the caller's signal. */
  release(): void {
    this.#caller?.removeEventListener('abort', this)
  }
}
