import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable, type Duplex } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Command, InvalidArgumentError, type ConnectionIo } from '@netc/transport'
import { asciiToNetwork } from './ascii-transform.ts'
import { ensureType, remoteSize, type TransferRunner } from './download.ts'
import type { FtpSession } from './ftp-session.ts'
import { ProgressMeter } from './progress.ts'
import { runTransfer, type TransferResult } from './run-transfer.ts'
import { sendFile } from './send-file.ts'
import type { UploadOptions } from './transfer-options.ts'

/** UploadSource: what `upload` sends: a local path, a Buffer, or a Readable. */
export type UploadSource = string | Buffer | Uint8Array | Readable

/**
 * uploadFrom: STOR or APPE from a source, with backpressure; the data connection is ended (TLS:
 * close_notify, then FIN) so that the server knows the file is complete, then the 226 is read.
 *
 * ```
 * C: EPSV  S: 229 (|||42131|)   C: STOR up.bin   S: 150 Ok to send data.   (bytes, EOF)   S: 226 Transfer complete.
 * ```
 */
async function uploadFrom(
  io: ConnectionIo,
  session: FtpSession,
  verb: 'STOR' | 'APPE',
  remote: string,
  open: (offset: number) => Promise<OpenedSource>,
  options: UploadOptions,
  started: () => void,
): Promise<TransferResult<number>> {
  const command = Command.of(verb, remote)
  await ensureType(io, session, options.ascii === true ? 'A' : 'I')
  const offset = options.resume === true ? ((await remoteSize(io, session, remote)) ?? 0) : 0
  const source = await open(offset)
  const meter = new ProgressMeter(options.onProgress, source.size, offset)
  const result = await runTransfer(io, session, {
    command,
    offset,
    signal: options.signal,
    handle: async (data: Duplex, signal, touch) => {
      started()
      const closed = new Promise<void>((resolve) => data.once('close', () => resolve()))
      if (source.path !== undefined && options.ascii !== true) {
        const sent = await sendFile(source.path, offset, data, (chunk) => {
          meter.add(chunk)
          touch()
        })
        data.end()
        data.resume()
        await closed
        return sent
      }
      const stream = source.stream()
      source.destroy = () => stream.destroy()
      stream.on('data', meter.add)
      stream.on('data', touch)
      if (options.ascii === true) await pipeline(stream, asciiToNetwork(), data, { signal })
      else await pipeline(stream, data, { signal })
      data.resume()
      await closed
      return meter.count
    },
  })
  if (result.ok) meter.finish()
  else source.destroy()
  return result
}

/** A source to send: a local path (sent by `sendFile`), or a stream made on demand; `destroy` ends a stream made. */
interface OpenedSource {
  path: string | undefined
  stream: () => Readable
  size: number | undefined
  destroy: () => void
}

/** opener: how to read a source from an offset, and its size when known. */
function opener(source: UploadSource, resume: boolean): (offset: number) => Promise<OpenedSource> {
  const none = (): void => undefined
  if (typeof source === 'string') {
    return async (offset) => ({
      path: source,
      stream: () => createReadStream(source, { start: offset }),
      size: (await stat(source)).size,
      destroy: none,
    })
  }
  if (source instanceof Uint8Array) {
    const buffer = Buffer.from(source.buffer, source.byteOffset, source.byteLength)
    return async (offset) => ({ path: undefined, stream: () => Readable.from([buffer.subarray(offset)], { objectMode: false }), size: buffer.length, destroy: none })
  }
  if (resume) throw new InvalidArgumentError('resume needs a path or a Buffer to upload, not a stream')
  return async () => ({ path: undefined, stream: () => source, size: undefined, destroy: () => source.destroy() })
}

/**
 * upload: STOR (or APPE with `append`). A fresh STOR that fails or is aborted after the server began
 * (150) is removed from the server (DELE, best effort) so that no half-written file stays behind; an
 * append or a resumed upload is not.
 */
export async function upload(
  run: TransferRunner,
  session: FtpSession,
  source: UploadSource,
  remote: string,
  options: UploadOptions & { append?: boolean },
): Promise<number> {
  const verb = options.append === true ? 'APPE' : 'STOR'
  const open = opener(source, options.resume === true)
  Command.of(verb, remote) // throws InvalidArgumentError for CR/LF/NUL before anything is sent
  let began = false
  try {
    return await run((io) => uploadFrom(io, session, verb, remote, open, options, () => (began = true)), options.signal)
  } catch (error) {
    // Only once the server said 150 has it replaced the old file: a refused STOR leaves an old file alone.
    if (began && verb === 'STOR' && options.resume !== true && !session.connection.closed) {
      await run(async (io) => {
        await io.send(Command.of('DELE', remote))
        await io.readCodedReply()
        return { ok: true, value: undefined }
      }).catch(() => undefined)
    }
    throw error
  }
}
