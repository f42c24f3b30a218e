import { createServer, type Server, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { AbortError, ConnectionError, TimeoutError } from '../errors/index.ts'
import { secureDataSocket, type DataTlsOptions } from './data-tls.ts'

/** Options of `listenForDataConnection`. */
export interface ListenForDataConnectionOptions {
  /** The local address to listen on: the control connection's local address (what PORT/EPRT announce). */
  host: string
  /** 4 or 6; derived from `host` when absent. */
  family?: 4 | 6 | undefined
  /**
   * Accept only a connection from this address (the server's); others are dropped (RFC 2577 section 3,
   * the FTP bounce and data theft attacks). Absent: the first connection is taken.
   */
  peer?: string | undefined
  /** Milliseconds that `accept()` waits for the server, then the TLS handshake. */
  timeout: number
  signal?: AbortSignal | undefined
  /** TLS after `PROT P`: the client is still the TLS client on the accepted socket (RFC 4217 section 9). */
  tls?: DataTlsOptions | undefined
}

/** A listening socket for one active-mode data connection. */
export interface DataListener {
  /** The address to announce (`host` as given). */
  readonly address: string
  /** The port the kernel picked. */
  readonly port: number
  readonly family: 4 | 6
  /** Waits for the server's connection (after PORT/EPRT and the transfer command), TLS included. */
  accept(): Promise<Duplex>
  /** Stops listening; an accepted socket is not affected. Idempotent. */
  close(): Promise<void>
}

/**
 * listenForDataConnection: the client side of FTP active mode (RFC 959 PORT, RFC 2428 EPRT): listens on
 * the control connection's local address, port 0, and hands out the one connection the server opens.
 *
 * ```ts
 * const listener = await listenForDataConnection({ host: '127.0.0.1', timeout: 15_000 })
 * // C: EPRT |1|127.0.0.1|40777|   S: 200 EPRT command successful
 * // C: RETR dave.txt             S: 150 Opening BINARY mode data connection
 * const data = await listener.accept()
 * ```
 * Errors: `TimeoutError` (phase `connect`), `ConnectionError`, `TlsError`, `AbortError`.
 */
export async function listenForDataConnection(options: ListenForDataConnectionOptions): Promise<DataListener> {
  const family = options.family ?? (options.host.includes(':') ? 6 : 4)
  const server = createServer({ noDelay: true, pauseOnConnect: true })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ConnectionError(`cannot listen on ${options.host}: ${error.code ?? error.message}`, { cause: error })),
    )
    server.listen({ host: options.host, port: 0, ipv6Only: family === 6 }, () => resolve())
  })
  server.on('error', () => undefined)
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  // Servers connect before they send the 150 reply (vsftpd, pure-ftpd): wait from now on, not from accept().
  const cancel = new AbortController()
  const waiting = waitForConnection(server, { ...options, signal: anySignal(options.signal, cancel.signal) })
  let accepted = false
  waiting.then(
    (socket) => {
      if (cancel.signal.aborted && !accepted) socket.destroy()
    },
    () => undefined,
  )
  let closing: Promise<void> | undefined
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      cancel.abort()
      server.close(() => resolve())
    }))
  const accept = async (): Promise<Duplex> => {
    accepted = true
    try {
      const socket = await waiting
      socket.resume()
      if (options.tls === undefined) return socket
      return await secureDataSocket(socket, options.tls, { host: options.host, timeout: options.timeout, signal: options.signal })
    } finally {
      void close()
    }
  }
  return { address: options.host, port, family, accept, close }
}

function waitForConnection(server: Server, options: ListenForDataConnectionOptions): Promise<Socket> {
  const { signal, timeout } = options
  return new Promise<Socket>((resolve, reject) => {
    const cleanup = (): void => {
      if (timer) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      server.off('connection', onConnection)
    }
    const fail = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const onAbort = (): void => fail(new AbortError('waiting for the data connection aborted', { cause: signal?.reason }))
    const onConnection = (socket: Socket): void => {
      socket.on('error', () => undefined)
      if (options.peer !== undefined && normalise(socket.remoteAddress) !== normalise(options.peer)) {
        socket.destroy()
        return
      }
      socket.setNoDelay(true)
      cleanup()
      resolve(socket)
    }
    const timer =
      timeout > 0
        ? setTimeout(
            () => fail(new TimeoutError(`the server did not open the data connection within ${timeout} ms`, { phase: 'connect', timeout })),
            timeout,
          )
        : undefined
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    server.on('connection', onConnection)
  })
}

/** IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) compare equal to their IPv4 form. */
function normalise(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/i, '').toLowerCase()
}

function anySignal(first: AbortSignal | undefined, second: AbortSignal): AbortSignal {
  return first === undefined ? second : AbortSignal.any([first, second])
}
