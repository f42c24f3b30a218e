import { connect as netConnect, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { AbortError, ConnectionError, TimeoutError } from '../errors/index.ts'
import type { OnreadOptions } from '../io/byte-reader.ts'
import { settleOnce } from './settle-once.ts'

/** What the transport asks of a connect function: where to, how long, and the caller's signal. */
export interface ConnectOptions {
  host: string
  port: number
  /** Milliseconds before opening fails with `TimeoutError` (phase `connect`). */
  timeout: number
  signal?: AbortSignal | undefined
  /** 4 or 6 to force an address family; 0 (default) tries both (Happy Eyeballs). */
  family?: 0 | 4 | 6 | undefined
  /** The local address to bind, for multi-homed hosts. */
  localAddress?: string | undefined
  /**
   * net.Socket's `onread`: read into one reusable buffer instead of a Buffer per read (no `data` events).
   * `connectSocket` honours it; the transport gives it to no other connect function.
   */
  onread?: OnreadOptions | undefined
}

/**
 * ConnectFunction: the seam every client takes (`connect` option, DESIGN.md principle 11). It returns a
 * connected duplex stream of plaintext bytes; the transport puts TLS on top when asked. Tests pass fakes
 * through it, proxies (SOCKS, HTTP CONNECT) return their tunnel.
 *
 * ```ts
 * const client = await SmtpClient.connect({ host, port, connect: async () => socksTunnel })
 * ```
 */
export type ConnectFunction = (options: ConnectOptions) => Promise<Duplex>

/**
 * connectSocket: the default `ConnectFunction`: a TCP socket with TCP_NODELAY (each command goes out at
 * once: against INN a client that waits on Nagle and delayed ACKs loses 40-90 ms per command) and
 * keep-alive, IPv4 or IPv6; with `onread`, reading into the caller's reusable buffer.
 *
 * Errors: `ConnectionError` "cannot reach HOST:PORT: ECONNREFUSED", `TimeoutError` (phase `connect`),
 * `AbortError`.
 */
export const connectSocket: ConnectFunction = (options) => {
  const { host, port, timeout, signal } = options
  let socket: Socket | undefined
  return settleOnce<Duplex>(
    {
      timeout,
      timedOut: () => new TimeoutError(`cannot reach ${host}:${port}: no answer within ${timeout} ms`, { phase: 'connect', timeout }),
      signal,
      aborted: () => new AbortError('connect aborted', { cause: signal?.reason }),
      onFail: () => socket?.destroy(),
    },
    (settle) => {
      const opened = netConnect({
        host,
        port,
        noDelay: true,
        keepAlive: true,
        keepAliveInitialDelay: 60_000,
        ...(options.family ? { family: options.family } : {}),
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(options.onread ? { onread: options.onread } : {}),
      })
      socket = opened
      const onError = (error: NodeJS.ErrnoException): void =>
        settle.fail(new ConnectionError(`cannot reach ${host}:${port}: ${error.code ?? error.message}`, { cause: error }))
      const onConnect = (): void => settle.resolve(opened)
      opened.once('error', onError)
      opened.once('connect', onConnect)
      return () => {
        opened.off('error', onError)
        opened.off('connect', onConnect)
      }
    },
  )
}
