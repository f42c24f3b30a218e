import { createServer, connect as netConnect } from 'node:net'
import type { Duplex } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ConnectOptions } from '../connection/connect-socket.ts'

/**
 * closedPort: a port on 127.0.0.1 that nothing listens on (taken from the kernel, then released), for the
 * "connection refused" fault: `ECONNREFUSED`.
 *
 * ```ts
 * await expect(Pop3Client.connect({ host: '127.0.0.1', port: await closedPort() })).rejects.toThrow(ConnectionError)
 * ```
 */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve())
  })
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (typeof address !== 'object' || address === null) throw new Error('closedPort: no address')
  return address.port
}

/**
 * lateConnect: a connect seam (`connect` option) that ignores its timeout and opens the socket only after
 * `delayMs`: a connect that stalls (a SYN nobody answers, a stuck proxy). The transport must time out
 * (`TimeoutError`, phase `connect`) and destroy the socket that arrives too late. Aborting its signal ends
 * the wait early, with the signal's reason.
 *
 * ```ts
 * await Pop3Client.connect({ host, port, connect: lateConnect(5000), timeouts: { connect: 200 } })  // TimeoutError(connect)
 * ```
 */
export function lateConnect(delayMs: number): (options: ConnectOptions) => Promise<Duplex> {
  return async (options) => {
    await sleep(delayMs, undefined, options.signal === undefined ? {} : { signal: options.signal })
    const socket = netConnect({ host: options.host, port: options.port })
    socket.on('error', () => {})
    return socket
  }
}
