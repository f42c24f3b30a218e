import { createWriteStream, type WriteStream } from 'node:fs'
import { rename, rm, stat, truncate } from 'node:fs/promises'
import type { Duplex, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Command, type ConnectionIo } from '@netc/transport'
import { asciiToLocal } from './ascii-transform.ts'
import { hasFeature, type FtpSession } from './ftp-session.ts'
import { ProgressMeter } from './progress.ts'
import type { FileReceiver } from './receive-to-file.ts'
import { runTransfer, type TransferResult } from './run-transfer.ts'
import { TemporaryFile, temporaryName } from './temporary-file.ts'
import type { DownloadOptions } from './transfer-options.ts'

/** A function that runs a task on the control connection and throws the transfer's error outside it. */
export type TransferRunner = <T>(task: (io: ConnectionIo) => Promise<TransferResult<T>>, signal?: AbortSignal) => Promise<T>

/** ensureType: TYPE I or TYPE A when it is not already in force (RFC 959 section 4.1.2). */
export async function ensureType(io: ConnectionIo, session: FtpSession, type: 'A' | 'I'): Promise<void> {
  if (session.type === type) return
  const command = Command.of('TYPE', type)
  await io.send(command)
  io.expect(await io.readCodedReply(), 2, command)
  session.type = type
}

/** remoteSize: SIZE (RFC 3659 section 4), or undefined when the server cannot say. */
export async function remoteSize(io: ConnectionIo, session: FtpSession, path: string): Promise<number | undefined> {
  if (!hasFeature(session, 'SIZE') && session.features.size > 0) return undefined
  await io.send(Command.of('SIZE', path))
  const reply = await io.readCodedReply()
  const text = reply.lines.join(' ').trim()
  return reply.code === 213 && /^\d+$/.test(text) ? Number(text) : undefined
}

/**
 * downloadTo: RETR into a Writable with backpressure: the socket's own Buffers go straight to the
 * destination (no copies in binary mode). The Writable is ended when the transfer ends.
 */
export async function downloadTo(
  io: ConnectionIo,
  session: FtpSession,
  remote: string,
  destination: Writable,
  options: DownloadOptions,
): Promise<TransferResult<number>> {
  const command = Command.of('RETR', remote)
  await ensureType(io, session, options.ascii === true ? 'A' : 'I')
  const offset = options.offset ?? 0
  const total = options.onProgress === undefined ? undefined : await remoteSize(io, session, remote)
  const meter = new ProgressMeter(options.onProgress, total, offset)
  const result = await runTransfer(io, session, {
    command,
    offset,
    signal: options.signal,
    handle: async (data: Duplex, signal) => {
      data.on('data', meter.add)
      if (options.ascii === true) await pipeline(data, asciiToLocal(), destination, { signal })
      else await pipeline(data, destination, { signal })
      return meter.count
    },
  })
  if (result.ok) meter.finish()
  else destination.destroy()
  return result
}

/**
 * downloadToFile: RETR in binary into a TemporaryFile (collected and written at once when small,
 * positional writes when big), while the 226 is read. Without progress and in binary already, the
 * transfer's own promise is returned (no wrapper of ours per file).
 */
export function downloadToFile(
  io: ConnectionIo,
  session: FtpSession,
  remote: string,
  file: TemporaryFile,
  options: DownloadOptions,
): Promise<TransferResult<number>> {
  if (session.type !== 'I' || options.onProgress !== undefined) return downloadToFileMetered(io, session, remote, file, options)
  return retrieveInto(io, session, remote, file.receiver(), options.signal)
}

/** retrieveInto: RETR into a file's receiver, which reads the data socket into its own buffers. */
function retrieveInto(io: ConnectionIo, session: FtpSession, remote: string, receiver: FileReceiver, signal: AbortSignal | undefined): Promise<TransferResult<number>> {
  return runTransfer(io, session, {
    command: Command.of('RETR', remote),
    signal,
    onread: receiver.onread,
    ownsActivity: true,
    handle: (data: Duplex, _signal, touch) => receiver.receive(data, touch),
  })
}

/** downloadToFileMetered: downloadToFile after TYPE I, with a ProgressMeter when `onProgress` is given (SIZE first). */
async function downloadToFileMetered(
  io: ConnectionIo,
  session: FtpSession,
  remote: string,
  file: TemporaryFile,
  options: DownloadOptions,
): Promise<TransferResult<number>> {
  if (session.type !== 'I') await ensureType(io, session, 'I')
  const meter = options.onProgress === undefined ? undefined : new ProgressMeter(options.onProgress, await remoteSize(io, session, remote), 0)
  const result = await retrieveInto(io, session, remote, file.receiver(meter?.add), options.signal)
  if (result.ok) meter?.finish()
  return result
}

/**
 * downloadToPath: a download to a local file that leaves nothing behind on failure: the bytes go to
 * `<path>.<random>.part`, renamed to `path` on success and removed otherwise. With `resume`, the bytes
 * go to the end of the existing file, which a failure truncates back to its old size.
 */
export async function downloadToPath(run: TransferRunner, session: FtpSession, remote: string, path: string, options: DownloadOptions): Promise<number> {
  if (options.resume === true) return resumeToPath(run, session, remote, path, options)
  if (options.ascii === true) return asciiToPath(run, session, remote, path, options)
  const file = TemporaryFile.create(path)
  try {
    const bytes = await run((io) => downloadToFile(io, session, remote, file, options), options.signal)
    const renaming = file.commit()
    if (renaming !== undefined) await renaming
    return bytes
  } catch (error) {
    await file.discard()
    throw error
  }
}

async function asciiToPath(run: TransferRunner, session: FtpSession, remote: string, path: string, options: DownloadOptions): Promise<number> {
  const temporary = temporaryName(path)
  const file = createWriteStream(temporary, { flags: 'wx' })
  try {
    const bytes = await run((io) => downloadTo(io, session, remote, file, options), options.signal)
    await rename(temporary, path)
    return bytes
  } catch (error) {
    await closed(file)
    await rm(temporary, { force: true })
    throw error
  }
}

async function resumeToPath(run: TransferRunner, session: FtpSession, remote: string, path: string, options: DownloadOptions): Promise<number> {
  const existing = await stat(path).then((s) => s.size, () => 0)
  const file = createWriteStream(path, { flags: 'a' })
  try {
    return await run((io) => downloadTo(io, session, remote, file, { ...options, offset: existing }), options.signal)
  } catch (error) {
    await closed(file)
    if (existing === 0) await rm(path, { force: true })
    else await truncate(path, existing).catch(() => undefined)
    throw error
  }
}

/** closed: destroys a file stream and waits until its descriptor is closed (so that a removal is final). */
function closed(file: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (file.closed) return resolve()
    file.once('close', () => resolve())
    file.destroy()
  })
}
