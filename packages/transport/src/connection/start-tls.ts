import type { Duplex } from 'node:stream'
import type * as NodeTls from 'node:tls'
import type { ConnectionOptions as NodeTlsOptions, TLSSocket } from 'node:tls'
import { AbortError, ConnectionError, TimeoutError, TlsError } from '../errors/index.ts'
import type { ConnectOptions } from './connect-socket.ts'
import { settleOnce } from './settle-once.ts'

/**
 * TlsSettings: the TLS options a client accepts. Certificates are verified unless
 * `rejectUnauthorized: false` is set by name (DESIGN.md principle 8). `ca` adds trusted roots (a test
 * server's throwaway CA); `session` resumes a TLS session (FTP data channels, RFC 4217 section 10.2).
 */
export type TlsSettings = Pick<
  NodeTlsOptions,
  | 'ca'
  | 'cert'
  | 'key'
  | 'pfx'
  | 'passphrase'
  | 'rejectUnauthorized'
  | 'servername'
  | 'minVersion'
  | 'maxVersion'
  | 'ciphers'
  | 'checkServerIdentity'
  | 'session'
  | 'ALPNProtocols'
>

/** What `startTls` needs beyond the settings: the host (for SNI and the certificate check), a timeout. */
export interface StartTlsOptions {
  host: string
  timeout: number
  signal?: AbortSignal | undefined
}

const isIp = (host: string): boolean => /^[\d.]+$/.test(host) || host.includes(':')

/**
 * startTls: runs a TLS client handshake over an open duplex stream (a fresh socket for implicit TLS, or
 * the plaintext socket after STARTTLS / STLS / AUTH TLS) and resolves with the secure socket.
 *
 * Errors: `TlsError` (handshake failure, certificate refused; `cause` has Node's error),
 * `TimeoutError` (phase `connect`), `AbortError`.
 * RFC 8314 (implicit TLS), RFC 3207 / RFC 2595 / RFC 4642 / RFC 4217 (upgrades).
 */
export function startTls(stream: Duplex, settings: TlsSettings, options: StartTlsOptions): Promise<TLSSocket> {
  const tls = loadedTls
  if (tls === undefined) return loadTls().then(() => startTls(stream, settings, options))
  const { signal, timeout, host } = options
  let socket: TLSSocket | undefined
  return settleOnce<TLSSocket>(
    {
      timeout,
      timedOut: () => new TimeoutError(`TLS handshake with ${host} did not finish within ${timeout} ms`, { phase: 'connect', timeout }),
      signal,
      aborted: () => new AbortError('TLS handshake aborted', { cause: signal?.reason }),
      onFail: () => {
        socket?.destroy()
        stream.destroy()
      },
    },
    (settle) => {
      const secure = tls.connect({
        ...settings,
        socket: stream,
        servername: settings.servername ?? (isIp(host) ? undefined : host),
        host,
      })
      socket = secure
      const onError = (error: NodeJS.ErrnoException): void => settle.fail(handshakeError(host, error))
      const onSecure = (): void => settle.resolve(secure)
      secure.once('error', onError)
      secure.once('secureConnect', onSecure)
      return () => {
        secure.off('error', onError)
        secure.off('secureConnect', onSecure)
      }
    },
  )
}

/**
 * connectTlsSocket: implicit TLS (RFC 8314) on a TCP connection of its own, in one `tls.connect`, with
 * TCP_NODELAY and keep-alive as `connectSocket`. This is the way `onread` works over TLS (a TLS socket
 * put on an existing one takes none): records are decrypted into the caller's reusable buffer, no
 * Buffer per record. Before the TCP connection, errors are `connectSocket`'s (`ConnectionError` "cannot
 * reach HOST:PORT: ECONNREFUSED"); after it, `startTls`'s (`TlsError`); `TimeoutError` (phase
 * `connect`) and `AbortError` in both.
 */
export function connectTlsSocket(options: ConnectOptions, settings: TlsSettings): Promise<TLSSocket> {
  const tls = loadedTls
  if (tls === undefined) return loadTls().then(() => connectTlsSocket(options, settings))
  const { host, port, timeout, signal } = options
  let socket: TLSSocket | undefined
  let connected = false
  return settleOnce<TLSSocket>(
    {
      timeout,
      timedOut: () =>
        new TimeoutError(
          connected ? `TLS handshake with ${host} did not finish within ${timeout} ms` : `cannot reach ${host}:${port}: no answer within ${timeout} ms`,
          { phase: 'connect', timeout },
        ),
      signal,
      aborted: () => new AbortError(connected ? 'TLS handshake aborted' : 'connect aborted', { cause: signal?.reason }),
      onFail: () => socket?.destroy(),
    },
    (settle) => {
      const secure = tls.connect({
        ...settings,
        host,
        port,
        servername: settings.servername ?? (isIp(host) ? undefined : host),
        ...(options.family ? { family: options.family } : {}),
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.onread ? { onread: options.onread } : {}),
      })
      socket = secure
      const onConnect = (): void => {
        connected = true
        secure.setNoDelay(true)
        secure.setKeepAlive(true, 60_000)
      }
      const onError = (error: NodeJS.ErrnoException): void =>
        settle.fail(connected ? handshakeError(host, error) : new ConnectionError(`cannot reach ${host}:${port}: ${error.code ?? error.message}`, { cause: error }))
      const onSecure = (): void => settle.resolve(secure)
      secure.once('connect', onConnect)
      secure.once('error', onError)
      secure.once('secureConnect', onSecure)
      return () => {
        secure.off('connect', onConnect)
        secure.off('error', onError)
        secure.off('secureConnect', onSecure)
      }
    },
  )
}

/** node:tls once loaded (`loadTls`). */
let loadedTls: typeof NodeTls | undefined
let loadingTls: Promise<typeof NodeTls> | undefined

/**
 * loadTls: node:tls, imported on the first TLS connection or upgrade rather than with the package: a
 * process that speaks only plaintext (an FTP or NNTP client on a private network) does not carry the
 * module: 0.6-0.75 MiB of RSS on top of what `@netc/ftp` loads anyway (`node:crypto` among it).
 */
function loadTls(): Promise<typeof NodeTls> {
  loadingTls ??= import('node:tls').then((module) => (loadedTls = module))
  return loadingTls
}

/** The TlsError of a failed handshake, with Node's error as its cause. */
function handshakeError(host: string, error: NodeJS.ErrnoException): TlsError {
  return new TlsError(`TLS handshake with ${host} failed: ${error.code ?? ''} ${error.message}`.replace(/\s+/g, ' '), { cause: error })
}
