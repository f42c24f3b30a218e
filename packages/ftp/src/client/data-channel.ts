import type { Duplex } from 'node:stream'
import {
  Command,
  InvalidStateError,
  listenForDataConnection,
  openDataConnection,
  secureDataSocket,
  type ConnectionIo,
  type DataOnRead,
  type DataTlsOptions,
} from '@netc/transport'
import { parseEpsv } from '../parsers/parse-epsv.ts'
import { parsePasv } from '../parsers/parse-pasv.ts'
import type { FtpSession } from './ftp-session.ts'

/** DataChannel: a data connection being set up: `socket()` resolves once it is open (after the command, in active mode). */
export interface DataChannel {
  socket(): Promise<Duplex>
  close(): void
}

/**
 * openDataChannel: prepares the data connection for the next transfer command: passive (EPSV, then PASV
 * for servers that refuse it: RFC 2428) connects now; active (EPRT, then PORT) listens and waits.
 *
 * ```
 * C: EPSV   S: 229 Entering Extended Passive Mode (|||42131|)   → connect to the control host, port 42131
 * C: PASV   S: 227 Entering Passive Mode (10,0,0,5,164,151)     → 10.0.0.5 ignored: the control host, 42135
 * ```
 */
export async function openDataChannel(io: ConnectionIo, session: FtpSession, signal: AbortSignal | undefined, onread?: DataOnRead): Promise<DataChannel> {
  return session.options.passive === false ? openActive(io, session, signal) : openPassive(io, session, signal, onread)
}

function dataTls(session: FtpSession): DataTlsOptions | undefined {
  if (!session.protectData) return undefined
  const tls: DataTlsOptions = { settings: session.options.tls ?? {}, host: session.options.host }
  const ticket = session.connection.tlsSession ?? session.clearedTlsSession
  if (ticket !== undefined) tls.session = ticket
  return tls
}

async function passivePort(io: ConnectionIo, session: FtpSession): Promise<{ host: string; port: number }> {
  const controlHost = session.remoteAddress ?? session.options.host
  if (session.passiveCommand === 'EPSV') {
    const epsv = Command.of('EPSV')
    await io.send(epsv)
    const reply = await io.readCodedReply()
    if (reply.code === 229) return { host: controlHost, port: parseEpsv(reply.lines.join(' ')) }
    if (reply.code < 500) io.expect(reply, 229, epsv)
    session.passiveCommand = 'PASV'
  }
  const pasv = Command.of('PASV')
  await io.send(pasv)
  const address = parsePasv(io.expect(await io.readCodedReply(), 227, pasv).lines.join(' '))
  return { host: session.options.allowSeparateTransferHost === true ? address.host : controlHost, port: address.port }
}

/** `onread` (reads into the caller's buffers) applies to plain passive data connections only: TLS comes after the 150. */
async function openPassive(io: ConnectionIo, session: FtpSession, signal: AbortSignal | undefined, onread: DataOnRead | undefined): Promise<DataChannel> {
  const { host, port } = await passivePort(io, session)
  let raw: Duplex
  try {
    // TCP now, TLS after the transfer command's 150: servers start their side of the handshake only then.
    // The control connection's route (its proxy included), so that data takes the same way.
    raw = await openDataConnection({ host, port, connect: session.connection.connector, timeout: io.timeouts.connect, signal, onread: session.protectData ? undefined : onread })
  } catch (error) {
    throw markDataSide(error)
  }
  raw.on('error', () => undefined)
  let socket = raw
  const tls = dataTls(session)
  return {
    socket: async () => {
      if (tls !== undefined) socket = await secureDataSocket(raw, tls, { host, timeout: io.timeouts.connect, signal })
      socket.on('error', () => undefined)
      return socket
    },
    close: () => {
      socket.destroy()
      raw.destroy()
    },
  }
}

async function openActive(io: ConnectionIo, session: FtpSession, signal: AbortSignal | undefined): Promise<DataChannel> {
  const proxy = session.connection.proxy
  if (proxy !== undefined) throw new InvalidStateError(`active mode cannot go through the proxy ${proxy}: use passive mode`)
  const address = (session.options.activeAddress ?? session.localAddress ?? '127.0.0.1').replace(/^::ffff:/i, '')
  const listener = await listenForDataConnection({
    host: address,
    peer: session.remoteAddress,
    timeout: io.timeouts.connect,
    signal,
    tls: dataTls(session),
  }).catch((error: unknown) => {
    throw markDataSide(error)
  })
  try {
    await announce(io, session, listener.address, listener.port, listener.family)
  } catch (error) {
    void listener.close()
    throw error
  }
  let accepted: Duplex | undefined
  return {
    socket: async () => {
      const socket = await listener.accept()
      socket.on('error', () => undefined)
      accepted = socket
      return socket
    },
    close: () => {
      void listener.close()
      accepted?.destroy()
    },
  }
}

/** EPRT |1|127.0.0.1|40777| (RFC 2428 section 2), or PORT 127,0,0,1,159,73 for servers that refuse it. */
async function announce(io: ConnectionIo, session: FtpSession, address: string, port: number, family: 4 | 6): Promise<void> {
  if (session.activeCommand === 'EPRT' || family === 6) {
    const eprt = Command.of('EPRT', `|${family === 6 ? 2 : 1}|${address}|${port}|`)
    await io.send(eprt)
    const reply = await io.readCodedReply()
    if (reply.code >= 200 && reply.code < 300) return
    if (reply.code < 500 || family === 6) io.expect(reply, 2, eprt)
    session.activeCommand = 'PORT'
  }
  const portCommand = Command.of('PORT', [...address.split('.'), Math.floor(port / 256), port % 256].join(','))
  await io.send(portCommand)
  io.expect(await io.readCodedReply(), 2, portCommand)
}

const dataSideErrors = new WeakSet<object>()

/** markDataSide: tags an error of the data connection's setup (the control connection is still in step). */
function markDataSide(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) dataSideErrors.add(error)
  return error
}

/** isDataSideError: true for an error tagged by `markDataSide`. */
export function isDataSideError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && dataSideErrors.has(error)
}
