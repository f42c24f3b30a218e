import type { Duplex } from 'node:stream'
import type { FtpServerSession } from './ftp-server-session.ts'
import { formatFacts, formatUnixLine } from './format-listing.ts'
import { openServerData, reusedSession, secureServerData } from './server-data-channel.ts'

/** The commands that use a data connection. */
export type TransferKind = 'RETR' | 'STOR' | 'APPE' | 'LIST' | 'NLST' | 'MLSD'

/** serveTransfer: one data-connection command, from the preliminary reply to the final one (RFC 959 section 5.4). */
export async function serveTransfer(ftp: FtpServerSession, kind: TransferKind, argument: string): Promise<void> {
  const { options } = ftp
  const setup = ftp.setup
  if (options.requireTls === true && !ftp.protectData) return ftp.reply('522 Data connections must be encrypted.')
  if (options.faults?.reply425 === true) return ftp.reply("425 Can't open data connection.")
  if (setup === undefined) return ftp.reply('425 Use PORT or PASV first.')
  const outgoing = kind === 'STOR' || kind === 'APPE' ? undefined : contentOf(ftp, kind, argument)
  if (outgoing === null) return ftp.reply(kind === 'RETR' ? '550 Failed to open file.' : '550 Failed to open directory.')
  // As vsftpd: the TCP connection first (accepted, or made to the client in active mode), then 150, then TLS.
  let data: Duplex
  try {
    data = await openServerData(setup, undefined, ftp.session.closed)
  } catch {
    return ftp.reply("425 Can't open data connection.")
  }
  await ftp.reply(kind === 'RETR' ? `150 Opening ${ftp.type === 'I' ? 'BINARY' : 'ASCII'} mode data connection for ${argument}.` : '150 Here comes the data.')
  if (ftp.protectData && ftp.secureContext !== undefined) {
    try {
      data = await secureServerData(data, ftp.secureContext)
    } catch {
      return ftp.reply('522 SSL connection failed.')
    }
  }
  if (ftp.protectData && options.requireSessionReuse === true && !reusedSession(data)) {
    data.destroy()
    return ftp.reply('522 SSL connection failed: session reuse required')
  }
  if (outgoing === undefined) return receive(ftp, kind, argument, data)
  data.resume() // to see the client's FIN
  const sent = await send(data, outgoing, ftp)
  return ftp.reply(sent ? (kind === 'RETR' ? '226 Transfer complete.' : '226 Directory send OK.') : '426 Failure writing network stream.')
}

function contentOf(ftp: FtpServerSession, kind: TransferKind, argument: string): Buffer | null {
  const fs = ftp.context.fs
  const path = ftp.path(argument.replace(/^(-[a-zA-Z]+\s*)+/, ''))
  const entry = fs.stat(path)
  if (kind === 'RETR') {
    if (entry?.type !== 'file') return null
    const bytes = entry.file.data.subarray(Math.min(ftp.restOffset, entry.file.data.length))
    return ftp.type === 'A' ? Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1') : bytes
  }
  if (entry === undefined) return kind === 'MLSD' ? null : Buffer.alloc(0)
  if (kind === 'MLSD' && entry.type !== 'directory') return null
  const entries = entry.type === 'directory' ? fs.list(path) : [entry]
  const lines =
    kind === 'MLSD'
      ? [formatFacts(entry, '.', 'cdir'), ...entries.map((e) => formatFacts(e))]
      : kind === 'NLST'
        ? entries.map((e) => e.name)
        : entries.map((e) => formatUnixLine(e))
  return Buffer.from(lines.map((line) => `${line}\r\n`).join(''), ftp.session.encoding)
}

/** send: writes the bytes (with the drop and stall faults), ends the stream; false when the client went away. */
async function send(data: Duplex, bytes: Buffer, ftp: FtpServerSession): Promise<boolean> {
  const faults = ftp.options.faults ?? {}
  const limit = faults.dropDataAfterBytes ?? faults.stallDataAfterBytes
  const body = limit === undefined ? bytes : bytes.subarray(0, limit)
  const closed = new Promise<void>((resolve) => data.once('close', () => resolve()))
  for (let at = 0; at < body.length && !data.destroyed; at += 65536) {
    if (!data.write(body.subarray(at, at + 65536))) {
      await Promise.race([new Promise((resolve) => data.once('drain', resolve)), closed])
    }
  }
  if (data.destroyed) return false
  if (faults.dropDataAfterBytes !== undefined && faults.dropDataAfterBytes < bytes.length) {
    data.destroy()
    return false
  }
  if (faults.stallDataAfterBytes !== undefined && faults.stallDataAfterBytes < bytes.length) {
    await closed
    return false
  }
  data.end()
  // Wait (at most 5 s) for the client to close its side; the timer must not keep a finished process alive.
  let timer: NodeJS.Timeout | undefined
  await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 5000).unref()))])
  clearTimeout(timer)
  return true
}

async function receive(ftp: FtpServerSession, kind: TransferKind, argument: string, data: Duplex): Promise<void> {
  const chunks: Buffer[] = []
  const complete = await new Promise<boolean>((resolve) => {
    let ended = false
    data.on('data', (chunk: Buffer) => chunks.push(chunk))
    data.once('end', () => {
      ended = true
      data.end()
    })
    data.once('close', () => resolve(ended))
    data.resume() // a socket accepted with pauseOnConnect stays paused until told
  })
  let bytes = Buffer.concat(chunks)
  if (ftp.type === 'A') bytes = Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')
  const path = ftp.path(argument)
  ftp.context.fs.writeFile(path, bytes, kind === 'APPE' ? { append: true } : { offset: ftp.restOffset })
  await ftp.reply(complete ? '226 Transfer complete.' : '426 Failure reading network stream.')
}
