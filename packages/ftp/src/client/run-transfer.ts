import { PassThrough, type Duplex } from 'node:stream'
import {
  AbortError,
  Command,
  ConnectionError,
  NetcError,
  ReplyError,
  type CodedReply,
  type ConnectionIo,
  type DataOnRead,
} from '@netc/transport'
import { isDataSideError, openDataChannel, type DataChannel } from './data-channel.ts'
import { dataIdleTimer } from './data-idle-timer.ts'
import type { FtpSession } from './ftp-session.ts'
import { neverAborted, transferAbortError, TransferStop } from './transfer-stop.ts'

/** One transfer: the command, an optional REST offset, and what to do with the data connection. */
export interface TransferRequest<T> {
  command: Command
  /** REST offset (RFC 3659 section 5) sent before the command. */
  offset?: number | undefined
  signal?: AbortSignal | undefined
  /**
   * Moves the bytes; rejects when the data connection fails. It gets a signal that fires on abort or
   * timeout (unless `ownsActivity`), and `touch` to call when the transfer moves without the socket
   * showing it (an upload's source).
   */
  handle(data: Duplex, signal: AbortSignal, touch: () => void): Promise<T>
  /**
   * True when the handler stopped reading on purpose before the server's end (a segment's range is
   * complete): the server's 426/451 for the closed data connection is then expected, not an error.
   */
  stoppedEarly?: (() => boolean) | undefined
  /** Read a plain passive data connection into the handler's buffers (`openDataConnection`'s `onread`). */
  onread?: DataOnRead | undefined
  /**
   * True when `handle` calls `touch` for every chunk it takes and ignores its signal, ending by itself
   * when the data connection is destroyed (which an abort and a data timeout do): a FileReceiver. The
   * transfer then adds no `data`/`drain` listener and makes no AbortController for it.
   */
  ownsActivity?: boolean | undefined
}

/**
 * TransferResult: how a transfer ended. `ok: false` carries a typed error after which the control
 * connection is in step and usable (a 4xx/5xx reply, a broken data connection, an abort): the caller
 * throws it outside `connection.run`, so that the connection is not closed for it.
 */
export type TransferResult<T> = { ok: true; value: T } | { ok: false; error: Error }

/**
 * runTransfer: a data-connection command from start to end (RFC 959 section 5.4):
 *
 * ```
 * C: EPSV  S: 229 (|||42131|)   (connect)   C: RETR dave.txt   S: 150 Opening BINARY mode ...
 * (bytes until EOF)                                             S: 226 Transfer complete.
 * C: EPSV RETR b.txt (one write, once EPSV has worked here)   S: 229 (|||42132|)   (connect)   S: 150 ...
 * ```
 * On abort: closes the data connection, sends ABOR and NOOP and reads replies up to NOOP's 200, so that
 * the 426/226/225 replies (which differ between servers) are all consumed. Control-connection failures
 * are thrown (and close the connection). The data-idle timeout (`timeouts.data`) is one timer per
 * connection, reused by its transfers (DataIdleTimer).
 */
export async function runTransfer<T>(io: ConnectionIo, session: FtpSession, request: TransferRequest<T>): Promise<TransferResult<T>> {
  const { signal } = request
  if (signal?.aborted === true) return { ok: false, error: transferAbortError(signal) }
  if (request.offset !== undefined && request.offset > 0) {
    const rest = Command.of('REST', request.offset)
    await io.send(rest)
    const reply = await io.readCodedReply()
    if (reply.code !== 350) return refused(io, reply, rest)
  }
  let channel: DataChannel
  try {
    channel = await openDataChannel(io, session, signal, request.onread, request.command)
  } catch (error) {
    if (ReplyError.isInstance(error) || isDataSideError(error)) return { ok: false, error: error as Error }
    throw error
  }
  try {
    if (!channel.commandSent) await io.send(request.command)
    const first = await io.readCodedReply()
    if (first.code >= 300) return refused(io, first, request.command)
    session.transfersStarted = (session.transfersStarted ?? 0) + 1
    if (first.code >= 200) return { ok: true, value: await request.handle(ended(), neverAborted, noop) }
    return await moveData(io, session, channel, request)
  } finally {
    channel.close()
  }
}

async function moveData<T>(io: ConnectionIo, session: FtpSession, channel: DataChannel, request: TransferRequest<T>): Promise<TransferResult<T>> {
  const stop = new TransferStop(channel, request.signal, request.ownsActivity !== true)
  const idle = dataIdleTimer(session, io.timeouts.data)
  let value: T | undefined
  let dataError: unknown
  // The final reply is read from the moment the server ends the data connection, while the handler
  // still flushes and closes its destination: the 226 and the local file's close overlap.
  let finalReply: Promise<CodedReply> | undefined
  const readFinal = (): void => {
    finalReply ??= io.readCodedReply()
    finalReply.catch(() => undefined) // awaited below on every path
  }
  try {
    const data = channel.ready ?? (await channel.socket())
    data.on('end', readFinal) // idempotent: no `once` wrapper
    idle?.start(stop, data, request.ownsActivity !== true)
    try {
      value = await request.handle(data, stop.signal, idle?.touch ?? noop)
    } finally {
      idle?.end(data)
    }
  } catch (error) {
    dataError = stop.reason ?? error
  } finally {
    stop.release()
    channel.close()
  }
  if (AbortError.isInstance(dataError)) {
    await resynchronise(io, finalReply)
    return { ok: false, error: dataError }
  }
  const final = await (finalReply ?? io.readCodedReply())
  // Our own verdict (a data timeout, a listing over its limit) says more than the server's 426 about it.
  if (dataError !== undefined && NetcError.isInstance(dataError)) return { ok: false, error: dataError }
  if (dataError === undefined && request.stoppedEarly?.() === true && final.code < 500) return { ok: true, value: value as T }
  if (final.code >= 300) return refused(io, final, request.command)
  if (dataError !== undefined) return { ok: false, error: asDataError(dataError, request.command) }
  return { ok: true, value: value as T }
}

/**
 * Reads past whatever the transfer and ABOR produce (426, 226, 225 differ by server) up to NOOP's 200;
 * `pending` is a read of the transfer's final reply already under way.
 */
async function resynchronise(io: ConnectionIo, pending: Promise<CodedReply> | undefined): Promise<void> {
  await io.send([Command.of('ABOR'), Command.of('NOOP')])
  if (pending !== undefined) await pending
  for (let i = 0; i < 6; i++) {
    const reply = await io.readCodedReply()
    if (reply.code === 200) return
  }
  throw new ConnectionError('the server did not come back in step after ABOR')
}

/** A refusal: the protocol's ReplyError (connection usable); a reply that makes no sense throws (connection closed). */
function refused(io: ConnectionIo, reply: CodedReply, command: Command): TransferResult<never> {
  try {
    io.expect(reply, () => false, command)
  } catch (error) {
    if (ReplyError.isInstance(error)) return { ok: false, error }
    throw error
  }
  throw new ConnectionError('unreachable')
}

function asDataError(error: unknown, command: Command): Error {
  if (NetcError.isInstance(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new ConnectionError(`${command.toLog()} failed: the data connection broke: ${message}`, { cause: error })
}



function noop(): void {}

function ended(): Duplex {
  const stream = new PassThrough()
  stream.end()
  return stream
}
