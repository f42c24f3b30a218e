import type { OnReadOpts } from 'node:net'
import type { Duplex } from 'node:stream'
import { TimeoutError } from '../errors/index.ts'
import { connectSocket, type ConnectFunction } from '../connection/connect-socket.ts'
import { connectDataSocket } from './connect-data-socket.ts'
import { secureDataSocket, type DataTlsOptions } from './data-tls.ts'

/**
 * DataOnRead: net.Socket's `onread` under the transport's name (protocol packages do not import
 * node:net): `buffer` (a Buffer, or a function returning the next one) and `callback(bytes, buffer)`,
 * which returns false to pause the socket until `resume()`.
 */
export type DataOnRead = OnReadOpts

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
  /**
   * Read into the caller's buffers (net.Socket `onread`: no Buffer allocated per read, no `data` events).
   * Only for a plain connection over the default TCP route: with another `connect` seam or `tls` it is
   * ignored and the stream emits `data` as usual, so a caller that passes it handles both.
   */
  onread?: DataOnRead | undefined
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
export function openDataConnection(options: OpenDataConnectionOptions): Promise<Duplex> {
  const { host, port, timeout, signal, family } = options
  // A plain connection over the default route: the socket's own promise, without a wrapper of ours.
  if (options.tls === undefined && (options.connect === undefined || options.connect === connectSocket)) {
    return connectDataSocket({ host, port, timeout, signal, family, onread: options.onread })
  }
  return openSeamOrTls(options)
}

async function openSeamOrTls(options: OpenDataConnectionOptions): Promise<Duplex> {
  const { host, port, timeout, signal, family } = options
  const started = Date.now()
  // The default TCP route (no seam, or the transport's own connectSocket) gets the data socket of its own.
  const socket =
    options.connect === undefined || options.connect === connectSocket
      ? await connectDataSocket({ host, port, timeout, signal, family, onread: options.tls === undefined ? options.onread : undefined })
      : await withTimeout(options.connect({ host, port, timeout, signal, family }), options)
  if (options.tls === undefined) return socket
  const remaining = timeout > 0 ? Math.max(1, timeout - (Date.now() - started)) : 0
  return secureDataSocket(socket, options.tls, { host, timeout: remaining, signal })
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
