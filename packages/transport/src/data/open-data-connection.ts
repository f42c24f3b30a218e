import type { Duplex } from 'node:stream'
import { TimeoutError } from '../errors/index.ts'
import { connectSocket, type ConnectFunction } from '../connection/connect-socket.ts'
import { secureDataSocket, type DataTlsOptions } from './data-tls.ts'

/** Options of `openDataConnection`. */
export interface OpenDataConnectionOptions {
  /** Where the server listens (the control host, unless the client trusts the PASV address). */
  host: string
  port: number
  /** The same seam as the control connection's, so that proxies apply to data connections too. */
  connect?: ConnectFunction | undefined
  /** TLS after `PROT P` (RFC 4217), resuming the control connection's session. */
  tls?: DataTlsOptions | undefined
  /** Milliseconds for the TCP connect and the TLS handshake together. */
  timeout: number
  signal?: AbortSignal | undefined
  family?: 0 | 4 | 6 | undefined
}

/**
 * openDataConnection: opens an FTP passive-mode data connection (RFC 959 section 3.2, RFC 2428 EPSV)
 * through the `connect` seam, and runs TLS on it when asked. The stream it returns carries the socket's
 * own Buffers; `end()` on a TLS stream sends close_notify before the FIN (RFC 4217 section 10.3), which
 * is how an FTPS upload tells the server that the file is complete.
 *
 * ```ts
 * // S: 229 Entering Extended Passive Mode (|||40213|)
 * const data = await openDataConnection({ host: control.host, port: 40213, tls: { settings, session }, timeout })
 * ```
 * Errors: `ConnectionError`, `TimeoutError` (phase `connect`), `TlsError`, `AbortError`.
 */
export async function openDataConnection(options: OpenDataConnectionOptions): Promise<Duplex> {
  const connect = options.connect ?? connectSocket
  const started = Date.now()
  const opening = connect({
    host: options.host,
    port: options.port,
    timeout: options.timeout,
    signal: options.signal,
    family: options.family,
  })
  const socket = await withTimeout(opening, options)
  if (options.tls === undefined) return socket
  const remaining = options.timeout > 0 ? Math.max(1, options.timeout - (Date.now() - started)) : 0
  return secureDataSocket(socket, options.tls, { host: options.host, timeout: remaining, signal: options.signal })
}

/** Holds the seam to the timeout even when it ignores it (a stuck proxy); a late socket is destroyed. */
function withTimeout(opening: Promise<Duplex>, options: OpenDataConnectionOptions): Promise<Duplex> {
  const { timeout } = options
  if (timeout <= 0) return opening
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TimeoutError(`cannot open the data connection to ${options.host}:${options.port} within ${timeout} ms`, { phase: 'connect', timeout }))
      void opening.then((late) => late.destroy(), () => undefined)
    }, timeout)
  })
  return Promise.race([opening, expired]).finally(() => clearTimeout(timer))
}
