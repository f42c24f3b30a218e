import { PassThrough, type Readable, type Writable } from 'node:stream'
import { AbortError, Command, InvalidArgumentError, InvalidStateError, type CodedReply, type ConnectionIo, type Expectation } from '@netc/transport'
import type { FileInfo } from '../parsers/file-info.ts'
import type { Features } from '../parsers/parse-feat.ts'
import { parseFtpTime } from '../parsers/parse-ftp-time.ts'
import { downloadDirectory, uploadDirectory, type DirectoryTransferResult } from './directory-transfer.ts'
import { downloadTo, downloadToPath, type TransferRunner } from './download.ts'
import { resolveFtpOptions, type FtpClientOptions } from './ftp-client-options.ts'
import { hasFeature, type FtpSession } from './ftp-session.ts'
import { listCommand, readListing, readMlst } from './listing.ts'
import { openSession } from './open-session.ts'
import { clearCommandChannel } from './clear-command-channel.ts'
import { segmentedDownload } from './segmented-download.ts'
import { assertSafeName, joinRemote, makeDirectories, printWorkingDirectory, renamePath, simpleCommand } from './path-commands.ts'
import type { TransferResult } from './run-transfer.ts'
import type { DownloadOptions, TransferOptions, UploadOptions } from './transfer-options.ts'
import { upload, type UploadSource } from './upload.ts'

/** FtpClientState: `ready` after login; `closing` during QUIT; `closed` after close, destroy or a broken connection. */
export type FtpClientState = 'ready' | 'closing' | 'closed'

/**
 * FtpClient: an FTP/FTPS client (RFC 959, 2228, 2389, 2428, 3659, 4217, 7151). Calls on one client are
 * queued in order; each transfer opens its own data connection.
 *
 * ```ts
 * await using ftp = await FtpClient.connect('ftp://dave:secret@ftp.example.com', { secure: 'explicit' })
 * await ftp.cd('dave')
 * await ftp.download('dave.txt', './dave.txt')            // nothing is left behind on failure
 * for (const entry of await ftp.list()) console.log(entry.type, entry.size, entry.name)
 * ```
 */
export class FtpClient implements AsyncDisposable {
  readonly #session: FtpSession
  #state: FtpClientState = 'ready'
  readonly #run: TransferRunner

  private constructor(session: FtpSession) {
    this.#session = session
    // Not an async function: one promise per transfer fewer (refusals are rejections all the same).
    this.#run = <T>(task: (io: ConnectionIo) => Promise<TransferResult<T>>, signal?: AbortSignal): Promise<T> => {
      if (this.state !== 'ready') return Promise.reject(new InvalidStateError(`the FTP client is ${this.state}`))
      if (signal?.aborted === true) return Promise.reject(new AbortError('the transfer was aborted', { cause: signal.reason }))
      return this.#session.connection.run(task).then(unwrapResult)
    }
  }

  /**
   * FtpClient.connect: connects, upgrades to TLS when asked, logs in (anonymous unless a user is given)
   * and switches to binary. Errors: `ConnectionError` ("cannot reach HOST:PORT: ECONNREFUSED"),
   * `TimeoutError`, `TlsError`, `FtpReplyError` ("cannot log in as dave: 530 Login incorrect.").
   */
  static async connect(target: string | URL | FtpClientOptions, options: FtpClientOptions = {}): Promise<FtpClient> {
    return new FtpClient(await openSession(resolveFtpOptions(target, options)))
  }

  /** The client's state. */
  get state(): FtpClientState {
    if (this.#state === 'ready' && this.#session.connection.closed) this.#state = 'closed'
    return this.#state
  }

  /** FEAT's answer: feature names in upper case → parameters (RFC 2389). */
  get features(): Features {
    return this.#session.features
  }

  /**
   * transfersStarted: how many transfers the server has begun on this client (a 1xx or 2xx to RETR,
   * STOR, LIST, ...). A call that failed with the count unchanged moved no byte: FtpPool retries such
   * a call on a new connection when this one died.
   */
  get transfersStarted(): number {
    return this.#session.transfersStarted ?? 0
  }

  /** True when the control connection runs TLS (false again after `ccc()`). */
  get secure(): boolean {
    return this.#session.connection.secure
  }

  /** True when data connections run TLS (PROT P; it stays in force after `ccc()`). */
  get dataProtected(): boolean {
    return this.#session.protectData
  }

  /**
   * ccc: Clear Command Channel (RFC 4217 section 6; Python's `FTP_TLS.ccc()`): the control connection
   * continues in plaintext on the same TCP connection (for NAT and firewall ALGs that read PORT/PASV) while
   * data connections stay TLS. Needs explicit FTPS connected with `ccc: 'later'` (`ccc: true` does it at
   * connect). `CCC failed: 534 ...` (FtpReplyError) leaves the client usable on TLS.
   *
   * ```
   * C: CCC   S: 200 Clearing control channel protection.   (close_notify both ways; then plaintext)
   * ```
   */
  async ccc(): Promise<void> {
    await this.command((io) => clearCommandChannel(io, this.#session))
  }

  /** pwd: the working directory (PWD, 257). */
  pwd(): Promise<string> {
    return this.command((io) => printWorkingDirectory(io))
  }

  /** cd: changes the working directory (CWD). `CWD dave failed: 550 Failed to change directory.` */
  async cd(path: string): Promise<void> {
    await this.simple(Command.of('CWD', path))
  }

  /** cdup: to the parent directory (CDUP). */
  async cdup(): Promise<void> {
    await this.simple(Command.of('CDUP'))
  }

  /** list: the entries of a directory (MLSD when offered, else LIST parsed: Unix, DOS/IIS, EPLF), without `.` and `..`. */
  async list(path?: string, options: { signal?: AbortSignal } = {}): Promise<FileInfo[]> {
    const { command, parse } = listCommand(this.#session, path)
    return parse(await this.#run((io) => readListing(io, this.#session, command, options.signal), options.signal))
  }

  /** nameList: the bare names (NLST). */
  async nameList(path?: string, options: { signal?: AbortSignal } = {}): Promise<string[]> {
    const command = Command.of('NLST', ...(path === undefined ? [] : [path]))
    const text = await this.#run((io) => readListing(io, this.#session, command, options.signal), options.signal)
    return text.split(/\r?\n/).filter((line) => line !== '')
  }

  /** stat: one entry's facts (MLST, RFC 3659 section 7); without MLST: SIZE and MDTM, or CWD for a directory. */
  async stat(path: string): Promise<FileInfo> {
    if (hasFeature(this.#session, 'MLST')) return this.command((io) => readMlst(io, path))
    try {
      const size = await this.size(path)
      return { name: path, type: 'file', size, modifiedAt: await this.lastModified(path), raw: '' }
    } catch (error) {
      const start = await this.pwd()
      try {
        await this.cd(path)
      } catch {
        throw error
      }
      await this.cd(start)
      return { name: path, type: 'directory', raw: '' }
    }
  }

  /** size: the size in bytes (SIZE, RFC 3659 section 4), in binary mode. */
  async size(path: string): Promise<number> {
    const text = await this.simple(Command.of('SIZE', path), 213)
    return Number(/^\s*(\d+)/.exec(text)?.[1] ?? NaN)
  }

  /** lastModified: the modification time (MDTM, RFC 3659 section 3), UTC. */
  async lastModified(path: string): Promise<Date> {
    return parseFtpTime(await this.simple(Command.of('MDTM', path), 213))
  }

  /** rename: RNFR + RNTO. */
  rename(from: string, to: string): Promise<void> {
    return this.command((io) => renamePath(io, from, to))
  }

  /** remove: deletes a file (DELE). */
  async remove(path: string): Promise<void> {
    await this.simple(Command.of('DELE', path))
  }

  /** mkdir: makes a directory (MKD); `recursive` makes the missing parents and accepts an existing one. */
  async mkdir(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    if (options.recursive === true) return this.command((io) => makeDirectories(io, path))
    await this.simple(Command.of('MKD', path), 257)
  }

  /** rmdir: removes a directory (RMD); `recursive` deletes what it holds first (server names checked: no `/`, `..`). */
  async rmdir(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    if (options.recursive === true) {
      for (const entry of await this.list(path)) {
        assertSafeName(entry.name)
        const child = joinRemote(path, entry.name)
        if (entry.type === 'directory') await this.rmdir(child, { recursive: true })
        else await this.remove(child)
      }
    }
    await this.simple(Command.of('RMD', path))
  }

  /** site: a SITE command (`site('CHMOD 644 dave.txt')`); returns the reply text. */
  site(command: string): Promise<string> {
    return this.simple(Command.of('SITE', ...splitArguments(command)))
  }

  /**
   * execute: any command without a data connection; the reply is checked against `expect` (default any
   * 2xx; a 4xx/5xx throws FtpReplyError). CR, LF or NUL throw InvalidArgumentError before anything is sent.
   */
  async execute(command: string | Command, options: { expect?: Expectation } = {}): Promise<CodedReply> {
    this.assertReady()
    const parsed = typeof command === 'string' ? Command.of(...splitCommand(command)) : command
    return this.#session.connection.execute(parsed, { expect: options.expect ?? 2 })
  }

  /**
   * download: RETR into a local path (through `<path>.<random>.part`, renamed on success, removed on
   * failure) or a Writable (ended at the end). Resolves with the bytes received. `segments: n` fetches a
   * path over n connections with REST ranges (`segmentedDownload`).
   */
  async download(remote: string, destination: string | Writable, options: DownloadOptions = {}): Promise<number> {
    Command.of('RETR', remote) // CR/LF/NUL: InvalidArgumentError before a file is made
    if (typeof destination === 'string') {
      const single = (): Promise<number> => downloadToPath(this.#run, this.#session, remote, destination, options)
      const { segments = 1 } = options
      if (!Number.isInteger(segments) || segments < 1) throw new InvalidArgumentError(`segments must be a positive integer, not ${segments}`)
      if (segments === 1 || options.ascii === true || options.resume === true || options.offset !== undefined) return single()
      const main = { run: this.#run, session: this.#session, pwd: () => this.pwd() }
      return segmentedDownload(main, remote, destination, { ...options, segments }, single)
    }
    return this.#run((io) => downloadTo(io, this.#session, remote, destination, options), options.signal)
  }

  /** createReadStream: the remote file as a Readable (destroying it aborts the transfer). */
  createReadStream(remote: string, options: DownloadOptions = {}): Readable {
    Command.of('RETR', remote)
    const stream = new PassThrough({ highWaterMark: 1024 * 1024 })
    this.download(remote, stream, options).catch((error: unknown) => stream.destroy(error instanceof Error ? error : undefined))
    return stream
  }

  /** upload: STOR from a path, a Buffer or a Readable; resolves with the bytes sent. */
  upload(source: UploadSource, remote: string, options: UploadOptions = {}): Promise<number> {
    return upload(this.#run, this.#session, source, remote, options)
  }

  /** append: APPE: adds to the end of a remote file. */
  append(source: UploadSource, remote: string, options: TransferOptions = {}): Promise<number> {
    return upload(this.#run, this.#session, source, remote, { ...options, append: true })
  }

  /**
   * downloadDir: a remote directory tree into a local directory. Names the server lists are checked:
   * none may escape `local` (`..`, `/`, `\`, absolute paths, Windows drives: ProtocolError).
   */
  downloadDir(remote: string, local: string, options: TransferOptions = {}): Promise<DirectoryTransferResult> {
    return downloadDirectory(this, remote, local, options)
  }

  /** uploadDir: a local directory tree to a remote directory, made with its parents. */
  uploadDir(local: string, remote: string, options: TransferOptions = {}): Promise<DirectoryTransferResult> {
    return uploadDirectory(this, local, remote, options)
  }

  /** close: QUIT (after queued calls), then closes the connection. Idempotent. */
  async close(): Promise<void> {
    if (this.state !== 'ready') return
    this.#state = 'closing'
    const connection = this.#session.connection
    await connection.run(async (io) => {
      await io.send(Command.of('QUIT'))
      await io.readCodedReply()
    }).catch(() => undefined)
    await connection.close()
    this.#state = 'closed'
  }

  /** destroy: drops the connection now; pending calls reject with ClosedError. */
  destroy(reason?: Error): void {
    this.#state = 'closed'
    this.#session.connection.destroy(reason)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  /** Throws InvalidStateError unless ready; called inside async methods, so a refusal is a rejection. */
  private assertReady(): void {
    if (this.state !== 'ready') throw new InvalidStateError(`the FTP client is ${this.state}`)
  }

  private async command<T>(task: (io: ConnectionIo) => Promise<T>): Promise<T> {
    this.assertReady()
    return this.#session.connection.run(task)
  }

  private simple(command: Command, expect: number | readonly number[] = 2): Promise<string> {
    return this.command((io) => simpleCommand(io, command, expect))
  }
}

/** unwrapResult: a transfer's value, or its error thrown (outside `connection.run`, so that the connection stays open). */
function unwrapResult<T>(result: TransferResult<T>): T {
  if (!result.ok) throw result.error
  return result.value
}

function splitCommand(line: string): [string, ...string[]] {
  const space = line.indexOf(' ')
  return space === -1 ? [line] : [line.slice(0, space), line.slice(space + 1)]
}

function splitArguments(text: string): string[] {
  return text === '' ? [] : [text]
}
