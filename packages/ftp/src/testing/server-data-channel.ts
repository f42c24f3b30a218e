import { connect as netConnect, createServer, type Server, type Socket } from 'node:net'
import { TLSSocket, type SecureContext } from 'node:tls'
import type { Duplex } from 'node:stream'

/** Where the server's next data connection comes from: a passive listener, or an active target. */
export type DataSetup = { mode: 'passive'; server: Server; port: number; accepted: Promise<Socket> } | { mode: 'active'; host: string; port: number }

/** listenPassive: a listener on `host`, port 0, for one data connection. */
export async function listenPassive(host: string): Promise<DataSetup> {
  const server = createServer({ noDelay: true, pauseOnConnect: true })
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen({ host, port: 0 }, () => resolve()))
  const address = server.address()
  // The client may connect before the transfer command arrives: take the connection as soon as it comes.
  const accepted = new Promise<Socket>((resolve) => {
    server.once('connection', (socket: Socket) => {
      server.close()
      socket.on('error', () => undefined)
      resolve(socket)
    })
  })
  return { mode: 'passive', server, port: typeof address === 'object' && address !== null ? address.port : 0, accepted }
}

/** closeSetup: stops a passive listener. */
export function closeSetup(setup: DataSetup | undefined): void {
  if (setup?.mode === 'passive') setup.server.close()
}

/**
 * openServerData: the data socket: accepted (PASV/EPSV), or connected to the client (PORT/EPRT). A
 * passive wait also ends when `gone` settles (the control connection closed: no client will come).
 */
export function openServerData(setup: DataSetup, timeout = 10_000, gone?: Promise<void>): Promise<Duplex> {
  return setup.mode === 'passive' ? acceptOne(setup, timeout, gone) : connectActive(setup.host, setup.port, timeout)
}

/** secureServerData: the server side of the data connection's TLS handshake (after the 150, as vsftpd does). */
export async function secureServerData(raw: Duplex, context: SecureContext): Promise<Duplex> {
  const secure = new TLSSocket(raw, { isServer: true, secureContext: context })
  secure.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    secure.once('secure', () => resolve())
    secure.once('close', () => reject(new Error('data TLS handshake failed')))
  })
  return secure
}

async function acceptOne(setup: { server: Server; accepted: Promise<Socket> }, timeout: number, gone: Promise<void> | undefined): Promise<Socket> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      setup.server.close()
      reject(new Error('no data connection'))
    }, timeout)
    void gone?.then(() => {
      setup.server.close()
      reject(new Error('the control connection closed'))
    })
  })
  try {
    // Left paused: a TLS ClientHello that arrives before the server's handshake starts must not be lost.
    return await Promise.race([setup.accepted, expired])
  } finally {
    clearTimeout(timer)
  }
}

function connectActive(host: string, port: number, timeout: number): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = netConnect({ host, port, timeout })
    socket.once('connect', () => {
      socket.setTimeout(0)
      resolve(socket)
    })
    socket.once('timeout', () => socket.destroy(new Error('active connect timed out')))
    socket.once('error', reject)
  })
}

/** reusedSession: true when the data connection resumed a TLS session (RFC 4217 section 10.2). */
export function reusedSession(stream: Duplex): boolean {
  return stream instanceof TLSSocket ? stream.isSessionReused() : true
}
