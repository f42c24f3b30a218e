import type { Duplex } from 'node:stream'
import { Command, ProtocolError, type ConnectionIo } from '@netc/transport'
import type { FileInfo } from '../parsers/file-info.ts'
import { parseList, parseMlsd } from '../parsers/parse-list.ts'
import { parseMlsxLine } from '../parsers/parse-mlsx-line.ts'
import { hasFeature, type FtpSession } from './ftp-session.ts'
import { runTransfer, type TransferResult } from './run-transfer.ts'

/** readListing: LIST, MLSD or NLST's data as text, bounded by `limits.maxListingBytes`. */
export function readListing(io: ConnectionIo, session: FtpSession, command: Command, signal?: AbortSignal): Promise<TransferResult<string>> {
  const max = io.limits.maxListingBytes
  return runTransfer(io, session, {
    command,
    signal,
    handle: async (data: Duplex) => {
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of data as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > max) throw new ProtocolError(`${command.toLog()}: the listing is longer than the limit of ${max} bytes`)
        chunks.push(chunk)
      }
      return Buffer.concat(chunks).toString(session.options.encoding ?? 'utf8')
    },
  })
}

/**
 * listCommand: MLSD when FEAT lists MLST (RFC 3659 section 7), else LIST; and how to parse its text.
 * `LIST` takes no options here: `LIST -a` is a server quirk, not RFC 959.
 */
export function listCommand(session: FtpSession, path: string | undefined): { command: Command; parse: (text: string) => FileInfo[] } {
  const args = path === undefined || path === '' ? [] : [path]
  if (hasFeature(session, 'MLST')) return { command: Command.of('MLSD', ...args), parse: (text) => parseMlsd(text) }
  return { command: Command.of('LIST', ...args), parse: (text) => parseList(text) }
}

/**
 * readMlst: MLST's entry (RFC 3659 section 7.2.1): the line of a 250 reply that starts with a space.
 *
 * ```
 * C: MLST hello.txt
 * S: 250-Begin
 * S:  type=file;size=6;modify=20190304050600;UNIX.mode=0644; hello.txt
 * S: 250 End.
 * ```
 */
export async function readMlst(io: ConnectionIo, path: string): Promise<FileInfo> {
  const command = Command.of('MLST', path)
  await io.send(command)
  const reply = io.expect(await io.readCodedReply(), 250, command)
  const line = reply.lines.find((text, index) => index > 0 && text.startsWith(' '))
  if (line === undefined) throw new ProtocolError(`MLST ${path}: the reply has no entry line`)
  return parseMlsxLine(line.slice(1))
}
