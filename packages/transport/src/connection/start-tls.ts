import type { Duplex } from 'node:stream'
import { connect as tlsConnect, type ConnectionOptions as NodeTlsOptions, type TLSSocket } from 'node:tls'
import { AbortError, ConnectionError, TimeoutError, TlsError } from '../errors/index.ts'
import type { ConnectOptions } from './connect-socket.ts'

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
  return new Promise<TLSSocket>((resolve, reject) => {
    const { signal, timeout, host } = options
    const socket = tlsConnect({
      ...settings,
      socket: stream,
      servername: settings.servername ?? (isIp(host) ? undefined : host),
      host,
    })
    const timer =
      timeout > 0
        ? setTimeout(
            () => fail(new TimeoutError(`TLS handshake with ${host} did not finish within ${timeout} ms`, { phase: 'connect', timeout })),
            timeout,
          )
        : undefined
    const onAbort = (): void => fail(new AbortError('TLS handshake aborted', { cause: signal?.reason }))
    const cleanup = (): void => {
      if (timer) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.off('error', onError)
      socket.off('secureConnect', onSecure)
    }
    const fail = (error: Error): void => {
      cleanup()
      socket.destroy()
      stream.destroy()
      reject(error)
    }
    const onError = (error: NodeJS.ErrnoException): void =>
      fail(new TlsError(`TLS handshake with ${host} failed: ${error.code ?? ''} ${error.message}`.replace(/\s+/g, ' '), { cause: error }))
    const onSecure = (): void => {
      cleanup()
      resolve(socket)
    }
    if (signal?.aborted) {
      onAbort()
      return
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.once('error', onError)
    socket.once('secureConnect', onSecure)
  })
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
  return new Promise<TLSSocket>((resolve, reject) => {
    const { host, port, timeout, signal } = options
    if (signal?.aborted) {
      reject(new AbortError('connect aborted', { cause: signal.reason }))
      return
    }
    const socket = tlsConnect({
      ...settings,
      host,
      port,
      servername: settings.servername ?? (isIp(host) ? undefined : host),
      ...(options.family ? { family: options.family } : {}),
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      ...(options.onread ? { onread: options.onread } : {}),
    })
    let connected = false
    const timer =
      timeout > 0
        ? setTimeout(() => {
            const message = connected
              ? `TLS handshake with ${host} did not finish within ${timeout} ms`
              : `cannot reach ${host}:${port}: no answer within ${timeout} ms`
            fail(new TimeoutError(message, { phase: 'connect', timeout }))
          }, timeout)
        : undefined
    const onAbort = (): void => fail(new AbortError(connected ? 'TLS handshake aborted' : 'connect aborted', { cause: signal?.reason }))
    const cleanup = (): void => {
      if (timer) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.off('connect', onConnect)
      socket.off('error', onError)
      socket.off('secureConnect', onSecure)
    }
    const fail = (error: Error): void => {
      cleanup()
      socket.destroy()
      reject(error)
    }
    const onConnect = (): void => {
      connected = true
      socket.setNoDelay(true)
      socket.setKeepAlive(true, 60_000)
    }
    const onError = (error: NodeJS.ErrnoException): void =>
      fail(
        connected
          ? new TlsError(`TLS handshake with ${host} failed: ${error.code ?? ''} ${error.message}`.replace(/\s+/g, ' '), { cause: error })
          : new ConnectionError(`cannot reach ${host}:${port}: ${error.code ?? error.message}`, { cause: error }),
      )
    const onSecure = (): void => {
      cleanup()
      resolve(socket)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.once('connect', onConnect)
    socket.once('error', onError)
    socket.once('secureConnect', onSecure)
  })
}
