import type { TLSSocket } from 'node:tls'
import { AbortError, ConnectionError, TimeoutError } from '../errors/index.ts'
import type { TlsCarrier } from './tls-carrier.ts'

/** How long `shutdownTls` waits for the peer's close_notify, and the caller's signal. */
export interface ShutdownTlsOptions {
  /** Milliseconds; `0` waits without a limit. */
  timeout: number
  signal?: AbortSignal | undefined
}

/**
 * shutdownTls: the bidirectional TLS shutdown of RFC 4217 section 6 (CCC) over a `TlsCarrier`: sends
 * close_notify (`tls.end()`, which the carrier keeps from ending the TCP connection) and waits for the
 * peer's (the TLS socket's `end`, which may already have come with the reply), then releases the carrier
 * and resolves with the plaintext the peer sent after its close_notify (usually none).
 *
 * ```
 * S: 200 CCC command successful      (TLS)
 * C: close_notify   S: close_notify  → plaintext on the same TCP connection
 * ```
 * Errors: `TimeoutError` (phase `reply`) when no close_notify comes in time, `ConnectionError` when the
 * connection closes instead, `AbortError`. After an error the caller must drop the connection.
 */
export function shutdownTls(tls: TLSSocket, carrier: TlsCarrier, options: ShutdownTlsOptions): Promise<Buffer> {
  const { timeout, signal } = options
  carrier.beginShutdown()
  return new Promise<Buffer>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined
    const cleanup = (): void => {
      if (timer) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      tls.off('end', onEnd)
      tls.off('close', onClose)
    }
    const fail = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const onEnd = (): void => {
      cleanup()
      if (carrier.rawEnded) reject(new ConnectionError('connection closed by the server during the TLS shutdown'))
      else resolve(carrier.release())
    }
    const onClose = (): void => fail(new ConnectionError('connection closed during the TLS shutdown, before the server\'s close_notify'))
    const onAbort = (): void => fail(new AbortError('TLS shutdown aborted', { cause: signal?.reason }))
    if (signal?.aborted) return onAbort()
    tls.end()
    if (tls.readableEnded) return onEnd()
    if (tls.destroyed) return onClose()
    if (timeout > 0) {
      timer = setTimeout(
        () => fail(new TimeoutError(`no TLS close_notify from the server within ${timeout} ms`, { phase: 'reply', timeout })),
        timeout,
      )
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    tls.once('end', onEnd)
    tls.once('close', onClose)
  })
}
