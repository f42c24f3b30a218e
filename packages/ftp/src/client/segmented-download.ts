import { randomBytes } from 'node:crypto'
import { close, open } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { promisify } from 'node:util'
import { AbortError, Command, ProtocolError, ReplyError, type ConnectionIo } from '@netc/transport'
import { ensureType, remoteSize, type TransferRunner } from './download.ts'
import { hasFeature, type FtpSession } from './ftp-session.ts'
import { openSession } from './open-session.ts'
import { ProgressMeter } from './progress.ts'
import { FileReceiver } from './receive-to-file.ts'
import { runTransfer, type TransferResult } from './run-transfer.ts'
import type { DownloadOptions } from './transfer-options.ts'

const openAsync = promisify(open)
const closeAsync = promisify(close)

/** A segment is at least this long: below it, an extra login costs more than it saves. */
const MIN_SEGMENT_BYTES = 1024 * 1024

/** The way back to one stream: SIZE unknown, REST refused, or too small a file. */
export type SingleStream = () => Promise<number>

interface Segment {
  start: number
  length: number
  run: TransferRunner
  session: FtpSession
}

/**
 * segmentedDownload: one file over `segments` connections, as lftp's `pget` (RFC 3659 sections 4 and
 * 5: SIZE, then REST + RETR per range). The client's own connection fetches the first range; n-1 extra
 * sessions are opened with the same options (login, TLS) in its working directory, each fetches its
 * range into the same `<path>.<random>.part` at its offset and closes its data connection at the range's
 * end (the server's 426 for it is expected). The progress is summed. The first error aborts every
 * segment and removes the part file; success renames it to `path`. Without SIZE, with REST refused or
 * for a file under 1 MiB a segment, it is one plain download.
 *
 * ```
 * (connection 2)  C: REST 536870912   S: 350 Restart position accepted (536870912).
 *                 C: RETR big.iso     S: 150 ...   (bytes up to the range's end, then close)   S: 426 ...
 * ```
 */
export async function segmentedDownload(
  main: { run: TransferRunner; session: FtpSession; pwd: () => Promise<string> },
  remote: string,
  path: string,
  options: DownloadOptions & { segments: number },
  single: SingleStream,
): Promise<number> {
  const { session } = main
  if (session.features.size > 0 && !hasFeature(session, 'REST STREAM') && !hasFeature(session, 'REST')) return single()
  const size = await main.run(async (io) => ({ ok: true, value: await sizeInBinary(io, session, remote) }), options.signal)
  const count = size === undefined ? 1 : Math.min(options.segments, Math.floor(size / MIN_SEGMENT_BYTES))
  if (size === undefined || count < 2) return single()
  const directory = await main.pwd()
  const extras = await openExtraSessions(session, directory, count - 1)
  const temporary = `${path}.${randomBytes(6).toString('hex')}.part`
  try {
    await closeAsync(await openAsync(temporary, 'wx'))
    const segments = plan(size, [main, ...extras.map(sessionRunner)])
    const bytes = await fetchAll(segments, remote, temporary, size, options)
    await rename(temporary, path)
    await Promise.all(extras.map((extra) => quit(extra)))
    return bytes
  } catch (error) {
    for (const extra of extras) extra.connection.destroy()
    await rm(temporary, { force: true })
    if (ReplyError.isInstance(error) && error.command?.startsWith('REST') === true) return single()
    throw error
  }
}

async function sizeInBinary(io: ConnectionIo, session: FtpSession, remote: string): Promise<number | undefined> {
  await ensureType(io, session, 'I')
  return remoteSize(io, session, remote)
}

async function openExtraSessions(session: FtpSession, directory: string, count: number): Promise<FtpSession[]> {
  const opened = await Promise.allSettled(
    Array.from({ length: count }, async () => {
      const extra = await openSession({ ...session.options, path: undefined })
      try {
        await extra.connection.execute(Command.of('CWD', directory))
      } catch (error) {
        extra.connection.destroy()
        throw error
      }
      return extra
    }),
  )
  const failed = opened.find((result) => result.status === 'rejected')
  if (failed === undefined) return opened.map((result) => (result as PromiseFulfilledResult<FtpSession>).value)
  for (const result of opened) if (result.status === 'fulfilled') result.value.connection.destroy()
  throw failed.reason
}

function sessionRunner(session: FtpSession): { run: TransferRunner; session: FtpSession } {
  const run: TransferRunner = async (task) => {
    const result = await session.connection.run(task)
    if (!result.ok) throw result.error
    return result.value
  }
  return { run, session }
}

/** plan: equal ranges, the last one taking the remainder. */
function plan(size: number, runners: Array<{ run: TransferRunner; session: FtpSession }>): Segment[] {
  const length = Math.floor(size / runners.length)
  return runners.map((runner, index) => ({
    start: index * length,
    length: index === runners.length - 1 ? size - index * length : length,
    run: runner.run,
    session: runner.session,
  }))
}

async function fetchAll(segments: Segment[], remote: string, temporary: string, size: number, options: DownloadOptions): Promise<number> {
  const meter = new ProgressMeter(options.onProgress, size, 0)
  const controller = new AbortController()
  const signal = options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal])
  let first: unknown
  const results: Array<PromiseSettledResult<number>> = await Promise.allSettled(
    segments.map((segment) =>
      segment.run((io) => fetchSegment(io, segment, remote, temporary, meter, signal), signal).catch((error: unknown) => {
        first ??= error
        controller.abort(error)
        throw error
      }),
    ),
  )
  const failed = results.find((result) => result.status === 'rejected')
  if (failed !== undefined) {
    // The error that stopped the others, not their AbortErrors; the caller's own abort as an AbortError.
    if (options.signal?.aborted === true) throw new AbortError('the transfer was aborted', { cause: options.signal.reason })
    throw first instanceof Error ? first : (failed.reason as Error)
  }
  meter.finish()
  return meter.count
}

async function fetchSegment(
  io: ConnectionIo,
  segment: Segment,
  remote: string,
  temporary: string,
  meter: ProgressMeter,
  signal: AbortSignal,
): Promise<TransferResult<number>> {
  await ensureType(io, segment.session, 'I')
  const last = segment.start + segment.length
  const receiver = new FileReceiver({ open: () => openAsync(temporary, 'r+'), position: segment.start, length: segment.length, onChunk: meter.add })
  const result = await runTransfer(io, segment.session, {
    command: Command.of('RETR', remote),
    offset: segment.start,
    signal,
    onread: receiver.onread,
    handle: (data, _signal, touch) => receiver.receive(data, touch),
    stoppedEarly: () => receiver.received >= segment.length,
  })
  if (result.ok && result.value !== segment.length) {
    return { ok: false, error: new ProtocolError(`RETR ${remote}: the range ${segment.start}-${last} ended after ${result.value} bytes`) }
  }
  return result
}

async function quit(session: FtpSession): Promise<void> {
  await session.connection.execute(Command.of('QUIT'), { expect: () => true }).catch(() => undefined)
  await session.connection.close()
}
