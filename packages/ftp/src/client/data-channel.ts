import type { Duplex } from 'node:stream'
import {
  Command,
  ConnectionError,
  InvalidStateError,
  ReplyError,
  listenForDataConnection,
  openDataConnection,
  type ConnectionIo,
  type DataOnRead,
  type DataTlsOptions,
} from '@netc/transport'
import { parseEpsv } from '../parsers/parse-epsv.ts'
import { parsePasv } from '../parsers/parse-pasv.ts'
import { PassiveChannel } from './passive-channel.ts'
import type { FtpSession } from './ftp-session.ts'

/** DataChannel: a data connection being set up: `socket()` resolves once it is open (after the command, in active mode). */
export interface DataChannel {
  /** The data connection when it is open and needs nothing more (plain passive): no `socket()` wait. */
  readonly ready: Duplex | undefined
  socket(): Promise<Duplex>
  close(): void
  /** The transfer command went out with EPSV (pipelined): the caller reads its reply without sending it. */
  readonly commandSent: boolean
}

/**
 * openDataChannel: prepares the data connection for the next transfer command: passive (EPSV, then PASV
 * for servers that refuse it: RFC 2428) connects now; active (EPRT, then PORT) listens and waits.
 *
 * ```
 * C: EPSV   S: 229 Entering Extended Passive Mode (|||42131|)   → connect to the control host, port 42131
 * C: PASV   S: 227 Entering Passive Mode (10,0,0,5,164,151)     → 10.0.0.5 ignored: the control host, 42135
 * ```
 * With `command`, once EPSV and a data connection have worked on this connection (and `pipelining` is
 * on), EPSV and the command go out in one write (`commandSent`): the server answers 229, then
 * waits for the data connection before its 150, as it would for a command sent after the connect.
 */
export function openDataChannel(
  io: ConnectionIo,
  session: FtpSession,
  signal: AbortSignal | undefined,
  onread?: DataOnRead,
  command?: Command,
): Promise<DataChannel> {
  return session.options.passive === false ? openActive(io, session, signal) : openPassive(io, session, signal, onread, command)
}

function dataTls(session: FtpSession): DataTlsOptions | undefined {
  if (!session.protectData) return undefined
  const tls: DataTlsOptions = { settings: session.options.tls ?? {}, host: session.options.host }
  const ticket = session.connection.tlsSession ?? session.clearedTlsSession
  if (ticket !== undefined) tls.session = ticket
  return tls
}

const EPSV = Command.of('EPSV')
const PASV = Command.of('PASV')

/**
 * skipReply: reads the reply to a pipelined transfer command whose EPSV failed: a refusal (vsftpd: `425
 * Use PORT or PASV first.`), or a 1xx and the final reply of a server that tried a connection of its own.
 */
async function skipReply(io: ConnectionIo): Promise<void> {
  const reply = await io.readCodedReply()
  if (reply.code < 200) await io.readCodedReply()
}

/**
 * EPSV (pipelined with `command` once EPSV has worked here), else PASV, then the connect. `onread`
 * (reads into the caller's buffers) applies to plain data connections only: TLS comes after the 150.
 * When the command went out with EPSV, the server waits for this connection before it reads anything
 * more: the connect is not aborted by `signal` (the transfer's abort follows once it is open, with
 * ABOR), and after a failed connect the command's reply is read (`afterFailedConnect`).
 */
async function openPassive(io: ConnectionIo, session: FtpSession, signal: AbortSignal | undefined, onread: DataOnRead | undefined, command: Command | undefined): Promise<DataChannel> {
  const { options } = session
  let host = session.remoteAddress ?? options.host
  let port = 0
  let commandSent = false
  if (session.passiveCommand === 'EPSV') {
    commandSent = command !== undefined && session.epsvWorks === true && options.pipelining === true
    await io.send(commandSent && command !== undefined ? [EPSV, command] : EPSV)
    const reply = await io.readCodedReply()
    if (reply.code === 229) port = parseEpsv(reply.lines.join(' '))
    else {
      if (commandSent) await skipReply(io)
      if (reply.code < 500) io.expect(reply, 229, EPSV)
      session.passiveCommand = 'PASV'
      commandSent = false
    }
  }
  if (session.passiveCommand === 'PASV') {
    await io.send(PASV)
    const address = parsePasv(io.expect(await io.readCodedReply(), 227, PASV).lines.join(' '))
    if (options.allowSeparateTransferHost === true) host = address.host
    port = address.port
  }
  const timeout = io.timeouts.connect
  let raw: Duplex
  try {
    // The control connection's route (its proxy included), so that data takes the same way.
    const connect = session.connection.connector
    raw = await openDataConnection({ host, port, connect, timeout, signal: commandSent ? undefined : signal, onread: session.protectData ? undefined : onread })
  } catch (error) {
    throw commandSent ? await afterFailedConnect(io, error, command) : markDataSide(error)
  }
  if (session.passiveCommand === 'EPSV') session.epsvWorks = true
  return new PassiveChannel(raw, commandSent, dataTls(session), host, timeout, signal)
}

/**
 * afterFailedConnect: the data connection of a pipelined command could not be opened. The server has
 * either refused the command (ProFTPD answers `550` and closes its listener, so the connect is refused)
 * or waits for the connection until its own timeout (then `425`). Its reply is read (within the connect
 * timeout) so that the connection stays in step: a refusal is the error, the connection usable; any
 * other reply, or none, is a ConnectionError that closes it.
 */
async function afterFailedConnect(io: ConnectionIo, error: unknown, command: Command | undefined): Promise<Error> {
  const reason = error instanceof Error ? error.message : String(error)
  const closing = new ConnectionError(`${command?.toLog() ?? 'the transfer'} failed: ${reason} (sent with EPSV: the connection closes)`, { cause: error })
  try {
    const reply = await io.readCodedReply({ timeout: io.timeouts.connect })
    if (reply.code >= 400) io.expect(reply, () => false, command)
  } catch (refusal) {
    if (ReplyError.isInstance(refusal)) return refusal
  }
  return closing
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
    ready: undefined,
    commandSent: false,
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
