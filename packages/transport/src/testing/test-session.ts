import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { SecureContext, TLSSocket } from 'node:tls'
import { ClosedError, InvalidStateError } from '../errors/index.ts'
import { DeflateStream } from '../compress/deflate-stream.ts'
import { defaultLimits } from '../limits.ts'
import { shutdownTls } from '../connection/shutdown-tls.ts'
import { TlsCarrier } from '../connection/tls-carrier.ts'
import { SessionReader, type LineEnding } from './session-reader.ts'
import { FaultyWriter, type ServerFaults } from './server-faults.ts'
import { awaitHandshake, secureContextFor, wrapServerTls } from './server-tls.ts'
import type { TestCertificates } from './test-certificates.ts'
import { TranscriptRecorder, type TranscriptEntry } from './transcript-recorder.ts'

export type { LineEnding } from './session-reader.ts'

/** The settings of a TestSession (TestServer passes its own). */
export interface TestSessionOptions {
  /** How `readLine` decodes lines and `write` encodes strings. Default `'utf8'`. */
  encoding?: 'utf8' | 'latin1'
  /** The longest line `readLine` accepts, CRLF included; a longer one destroys the session. Default `defaultLimits.maxLineLength` (64 KiB). */
  maxLineLength?: number
  /** The most unread bytes `readUntil`/`readBytes` may gather before the session is destroyed. Default 64 MiB. */
  maxBufferedBytes?: number
  /** `received`, `sent` and `transcript` stop recording past this many bytes. Default 16 MiB. */
  maxRecordedBytes?: number
  /** Faults applied to everything the session writes. */
  faults?: ServerFaults
  /** Where `upgradeTls` gets its certificate. */
  certificates?: () => Promise<TestCertificates>
}

const noop = (): void => {}

/**
 * TestSession: the server side of one connection to a TestServer, read pull-style as netc's clients are
 * (DESIGN.md principle 2). Everything is recorded both ways, decrypted.
 *
 * ```ts
 * await session.writeLine('220 fake ESMTP')         // S: 220 fake ESMTP
 * const command = await session.readLine()          // C: EHLO client → 'EHLO client'
 * if (command === 'STARTTLS') { await session.writeLine('220 go'); await session.upgradeTls() }
 * ```
 */
export class TestSession {
  /** The session's number on its server, from 1. */
  readonly id: number
  /** The client's address and port. */
  readonly remoteAddress: string | undefined
  readonly remotePort: number | undefined
  /** How lines are decoded and strings encoded; may be changed at any time. */
  encoding: 'utf8' | 'latin1'
  /**
   * Bytes the client sent in plaintext that were still unread when `upgradeTls()` began: injected after
   * STARTTLS (CVE-2011-0411). They are dropped from the read queue; a strict fake refuses the session.
   */
  bufferedPlaintext: Buffer = Buffer.alloc(0)
  /** The error that ended the session (a handler's error, a broken limit, a failed handshake), if any. */
  error: Error | undefined
  /** Resolves when the connection has closed (never rejects). */
  readonly closed: Promise<void>

  readonly #raw: Socket
  #current: Socket
  /** The COMPRESS DEFLATE layer over `#current`, once started: reads and writes then go through it. */
  #compressed: DeflateStream | undefined
  #encrypted = false
  /** Under the TLS socket when TLS was started unwrappable (so that `endTls()` can remove it: FTP CCC). */
  #carrier: TlsCarrier | undefined
  #isClosed = false
  readonly #reader: SessionReader
  readonly #recorder: TranscriptRecorder
  #writeQueue: Promise<unknown> = Promise.resolve()
  readonly #abort = new AbortController()
  readonly #writer: FaultyWriter
  readonly #certificates: (() => Promise<TestCertificates>) | undefined
  #secureContext: SecureContext | undefined
  #resolveClosed: () => void = noop

  /** Made by TestServer. `readPlaintext: false` leaves the socket unread until `upgradeTls()` (implicit TLS). */
  constructor(socket: Socket, id: number, options: TestSessionOptions = {}, readPlaintext = true) {
    this.id = id
    this.#raw = socket
    this.#current = socket
    this.remoteAddress = socket.remoteAddress
    this.remotePort = socket.remotePort
    this.encoding = options.encoding ?? 'utf8'
    this.#reader = new SessionReader(
      { resume: () => this.#stream().resume(), fail: (error) => this.destroy(error) },
      { maxLineLength: options.maxLineLength ?? defaultLimits.maxLineLength, maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024 },
    )
    this.#recorder = new TranscriptRecorder(options.maxRecordedBytes ?? 16 * 1024 * 1024)
    this.#certificates = options.certificates
    this.#writer = new FaultyWriter(options.faults ?? {}, this.#abort.signal)
    this.closed = new Promise<void>((resolve) => (this.#resolveClosed = resolve))
    socket.on('error', this.#onError)
    socket.on('close', this.#onClose)
    if (readPlaintext) this.#attach(socket)
  }

  /** The current socket: the TCP socket, or the TLSSocket after `upgradeTls()`. An escape hatch. */
  get socket(): Socket {
    return this.#current
  }
  /** True after `upgradeTls()` succeeded. */
  /**
   * The TLS context of this session once TLS is on (shared by every session with the same certificate),
   * for a fake's further server-side TLS sockets that must resume this session's TLS sessions (FTP data
   * connections, RFC 4217 section 10.2).
   */
  get secureContext(): SecureContext | undefined {
    return this.#secureContext
  }

  get encrypted(): boolean {
    return this.#encrypted
  }
  /** How the last line `readLine` returned was ended (a fake may refuse bare LF, as after SMTP smuggling). */
  get lastLineEnding(): LineEnding {
    return this.#reader.lastLineEnding
  }
  /** True once the connection has closed. */
  get isClosed(): boolean {
    return this.#isClosed
  }
  /** Everything the client sent (decrypted), up to `maxRecordedBytes`. */
  get received(): Buffer {
    return this.#recorder.bytesFrom('client')
  }
  /** Everything the server put on the wire (after faults, before encryption). */
  get sent(): Buffer {
    return this.#recorder.bytesFrom('server')
  }
  /** Both directions in order; consecutive bytes from one side are merged into one entry. */
  get transcript(): TranscriptEntry[] {
    return this.#recorder.entries()
  }
  /** True once recording stopped at `maxRecordedBytes`. */
  get recordingTruncated(): boolean {
    return this.#recorder.truncated
  }

  /** readLine: the next line without its ending, or undefined at EOF (SessionReader.readLine). */
  readLine(): Promise<string | undefined> {
    return this.#reader.readLine(this.encoding)
  }

  /** readBytes: exactly `count` bytes; undefined at EOF with nothing unread, ConnectionError at EOF midway. */
  readBytes(count: number): Promise<Buffer | undefined> {
    return this.#reader.readBytes(count)
  }

  /**
   * readUntil: the bytes up to `terminator` (which is consumed; `{ include: true }` keeps it), e.g. a DATA
   * body up to `\r\n.\r\n` (RFC 5321 section 4.1.1.4). Undefined at EOF with nothing unread.
   */
  readUntil(terminator: Buffer | string, options: { include?: boolean } = {}): Promise<Buffer | undefined> {
    const needle = typeof terminator === 'string' ? Buffer.from(terminator, this.encoding) : terminator
    return this.#reader.readUntil(needle, options.include === true)
  }

  /**
   * write: sends bytes (strings in `encoding`) through the session's faults, in call order; resolves once
   * handed to the kernel. After the connection closed, writes are discarded, as by a peer that has gone.
   */
  write(data: string | Uint8Array): Promise<void> {
    const buffer = typeof data === 'string' ? Buffer.from(data, this.encoding) : Buffer.from(data)
    const issuedAt = this.#writer.acks
    const run = this.#writeQueue.then(async () => {
      if (this.#isClosed || this.#current.destroyed) return
      const outcome = await this.#writer.write(this.#stream(), buffer, (piece) => this.#recorder.record('server', piece), issuedAt)
      if (outcome === 'closed') this.destroy()
    })
    this.#writeQueue = run.catch(noop)
    return run
  }

  /** writeLine: `write(line + '\r\n')`. */
  writeLine(line: string): Promise<void> {
    return this.write(`${line}\r\n`)
  }

  /**
   * upgradeTls: the server side of STARTTLS (RFC 3207, RFC 2595, RFC 4642, RFC 4217 AUTH TLS): after
   * pending writes, wraps the socket in a server TLSSocket and resolves after the handshake. Unread
   * plaintext moves to `bufferedPlaintext`. A failed handshake rejects with TlsError and destroys the session.
   * `unwrappable: true` puts the TLS on a carrier stream, so that `endTls()` can remove it (FTP CCC).
   */
  async upgradeTls(options: { unwrappable?: boolean } = {}): Promise<void> {
    if (this.#encrypted || this.#current !== this.#raw) throw new InvalidStateError('upgradeTls: TLS is already on')
    await this.#writeQueue
    if (this.#isClosed) throw new ClosedError('upgradeTls: the connection is closed')
    if (this.#certificates === undefined) throw new InvalidStateError('upgradeTls: the session has no certificates')
    const { cert, key } = await this.#certificates()
    const raw = this.#raw
    raw.off('data', this.#onData)
    raw.off('end', this.#onEnd)
    raw.pause()
    for (let chunk = raw.read() as Buffer | null; chunk !== null; chunk = raw.read() as Buffer | null) this.#onData(chunk)
    this.bufferedPlaintext = this.#reader.takeAll()
    this.#secureContext = secureContextFor({ cert, key })
    const carrier = options.unwrappable === true ? new TlsCarrier(raw) : undefined
    this.#carrier = carrier
    const secure = wrapServerTls(carrier ?? raw, this.#secureContext)
    this.#current = secure
    const handshake = awaitHandshake(secure)
    secure.on('error', this.#onError)
    // Over a carrier the TLS socket may close (CCC) while the TCP connection lives on: the raw socket's close counts.
    if (carrier === undefined) secure.on('close', this.#onClose)
    this.#attach(secure)
    try {
      await handshake
    } catch (error) {
      this.error = error as Error
      this.destroy()
      throw error
    }
    this.#encrypted = true
  }

  /**
   * endTls: the server side of CCC (RFC 4217 section 6), after the `200` reply has been written: sends
   * close_notify, waits for the client's, then continues in plaintext on the same TCP connection.
   * Plaintext the client sent right after its close_notify is kept for the next read. Needs
   * `upgradeTls({ unwrappable: true })`. Rejects (and destroys the session) when the client's close_notify
   * does not come within `timeout` ms (default 10 s).
   */
  async endTls(timeout = 10_000): Promise<void> {
    const carrier = this.#carrier
    if (!this.#encrypted || carrier === undefined) throw new InvalidStateError('endTls: no unwrappable TLS is on')
    await this.#writeQueue
    const secure = this.#current as TLSSocket
    // The TLS socket's end is the end of TLS, not of the session: it is awaited here, not recorded as EOF.
    secure.off('end', this.#onEnd)
    let early: Buffer
    try {
      early = await shutdownTls(secure, carrier, { timeout })
    } catch (error) {
      this.error ??= error as Error
      this.destroy()
      throw error
    }
    secure.off('data', this.#onData)
    this.#carrier = undefined
    this.#current = this.#raw
    this.#encrypted = false
    this.#reader.reopen() // a close_notify is not an EOF; the TCP connection's end would have failed the shutdown
    this.#attach(this.#raw)
    if (early.length > 0) this.#onData(early)
    this.#raw.resume()
  }

  /** close: ends the connection after pending writes (FIN, or TLS close_notify), then closes it. */
  async close(): Promise<void> {
    await this.#writeQueue
    if (this.#isClosed) return
    this.#carrier?.endGracefully()
    const socket = this.#stream()
    const timer = setTimeout(() => this.destroy(), 2000)
    socket.end(() => socket.destroy())
    await this.closed
    clearTimeout(timer)
  }

  /** destroy: drops the connection now; `error`, when given, is recorded as `session.error`. */
  destroy(error?: Error): void {
    if (error !== undefined) this.error ??= error
    this.#compressed?.destroy()
    this.#carrier?.destroy()
    this.#current.destroy()
    this.#raw.destroy()
    this.#abort.abort()
    this.#reader.end()
  }

  /**
   * startCompression: the server side of COMPRESS DEFLATE (RFC 8054), after the `206` reply has been
   * written: from here on both directions are raw DEFLATE. Bytes the client sent after its COMPRESS
   * command are already compressed and go to the inflater first.
   */
  async startCompression(): Promise<void> {
    if (this.#compressed !== undefined) throw new InvalidStateError('startCompression: COMPRESS is already on')
    await this.#writeQueue
    const current = this.#current
    current.off('data', this.#onData)
    current.off('end', this.#onEnd)
    const stream = new DeflateStream(current, this.#reader.takeAll())
    stream.on('error', this.#onError)
    this.#compressed = stream
    this.#attach(stream)
  }

  /** True once COMPRESS DEFLATE is on. */
  get compressed(): boolean {
    return this.#compressed !== undefined
  }

  #stream(): Duplex {
    return this.#compressed ?? this.#current
  }

  #attach(socket: Duplex): void {
    socket.on('data', this.#onData)
    socket.on('end', this.#onEnd)
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#recorder.record('client', chunk)
    this.#writer.acknowledge()
    // Backpressure: stop reading while nobody waits and a megabyte is unread; a read resumes.
    const idle = !this.#reader.waiting
    this.#reader.push(chunk)
    if (idle && this.#reader.unread > 1024 * 1024) this.#stream().pause()
  }

  readonly #onEnd = (): void => {
    this.#reader.end()
  }

  readonly #onError = (error: Error): void => {
    this.error ??= error
  }

  readonly #onClose = (): void => {
    this.#isClosed = true
    this.#abort.abort()
    this.#raw.destroy()
    this.#reader.end()
    this.#resolveClosed()
  }
}
