import type { TLSSocket } from 'node:tls'
import { AbortError, ConnectionError, TimeoutError } from '../errors/index.ts'
import { settleOnce } from './settle-once.ts'
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
  return settleOnce<Buffer>(
    {
      timeout,
      timedOut: () => new TimeoutError(`no TLS close_notify from the server within ${timeout} ms`, { phase: 'reply', timeout }),
      signal,
      aborted: () => new AbortError('TLS shutdown aborted', { cause: signal?.reason }),
    },
    (settle) => {
      const onEnd = (): void => {
        if (carrier.rawEnded) settle.fail(new ConnectionError('connection closed by the server during the TLS shutdown'))
        else settle.resolve(carrier.release())
      }
      const onClose = (): void => settle.fail(new ConnectionError("connection closed during the TLS shutdown, before the server's close_notify"))
      tls.end()
      if (tls.readableEnded) onEnd()
      else if (tls.destroyed) onClose()
      tls.once('end', onEnd)
      tls.once('close', onClose)
      return () => {
        tls.off('end', onEnd)
        tls.off('close', onClose)
      }
    },
  )
}
