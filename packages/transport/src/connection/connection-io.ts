import { Readable } from 'node:stream'
import type { Command } from '../command/command.ts'
import { REDACTED } from '../command/command.ts'
import { ConnectionError, ProtocolError, type TimeoutPhase } from '../errors/index.ts'
import type { ByteReader } from '../io/byte-reader.ts'
import type { Limits } from '../limits.ts'
import type { CodedReply } from '../reply/coded-reply.ts'
import { matchesExpectation, type Expectation } from './expectation.ts'
import { rejectWith } from './reject-with.ts'
import type { Timeouts } from './timeouts.ts'
import type { TlsSettings } from './start-tls.ts'
import { readDotBody, readDotBodyBuffer, writeDotBody, type BodySource } from './dot-body-io.ts'
import type { BodyAllocator } from '../io/body-assembler.ts'
import type { ConnectionIoHost, ReadReplyOptions, ReadState } from './connection-io-host.ts'

export { makeReadState, type ConnectionIoHost, type ReadReplyOptions, type ReadState } from './connection-io-host.ts'

/**
 * ConnectionIo: what a task running on a `Connection` may do with the wire, pull style (STYLE.md 3):
 * send commands (one write per command or batch), read lines, coded replies and raw chunks, write body
 * bytes with backpressure, upgrade to TLS. It is only valid while its task runs.
 *
 * ```ts
 * const reply = await connection.run(async (io) => {
 *   await io.send(Command.of('EHLO', 'client.example'))
 *   return io.readCodedReply()
 * })
 * ```
 */
export class ConnectionIo {
  readonly signal: AbortSignal | undefined
  private readonly host: ConnectionIoHost
  private readonly state: ReadState

  constructor(host: ConnectionIoHost, signal: AbortSignal | undefined) {
    this.host = host
    this.signal = signal
    this.state = host.readState
  }

  /** The limits in force on this connection. */
  get limits(): Limits {
    return this.host.limits
  }

  /** The timeouts in force on this connection. */
  get timeouts(): Timeouts {
    return this.host.timeouts
  }

  /**
   * bufferedBytes: how many bytes have arrived and are not read yet. After a reply's status line, 0 means
   * the rest is not here yet (held by the server's Nagle, or on its way): see `oweReply`.
   */
  get bufferedBytes(): number {
    return this.host.reader().bufferedBytes
  }

  /**
   * send: writes one command, or a pipelined batch (RFC 2920), in one write, logging each redacted.
   * `payload` goes out in the same write after the commands (SMTP's `BDAT n` and its chunk, RFC 3030):
   * copied behind them when small, as a second write of the same `writev` when large.
   */
  send(commands: Command | readonly Command[], payload?: Uint8Array): Promise<void> {
    const host = this.host
    let text: string
    if (Array.isArray(commands)) {
      const list = commands as readonly Command[]
      text = ''
      for (let i = 0; i < list.length; i++) {
        const command = list[i] as Command
        text += command.wireText
        host.logCommand(command)
      }
    } else {
      const command = commands as Command
      text = command.wireText
      host.logCommand(command)
    }
    const encoding = host.encoding
    if (payload === undefined || payload.length === 0) return this.write(Buffer.from(text, encoding))
    if (payload.length < 64 * 1024) {
      // One buffer for the lines and the payload: one write, one syscall, one segment.
      const length = Buffer.byteLength(text, encoding)
      const bytes = Buffer.allocUnsafe(length + payload.length)
      bytes.write(text, 0, length, encoding)
      bytes.set(payload, length)
      return this.write(bytes)
    }
    // A big payload is not copied: both writes go out corked, as one writev.
    return this.writeAll([Buffer.from(text, encoding), payload])
  }

  /**
   * write: writes raw bytes (a body chunk). Resolves at once while the socket takes more, and waits for
   * `drain` when its buffer is full (backpressure). A failed write surfaces as the connection's error.
   */
  write(bytes: Buffer | Uint8Array): Promise<void> {
    const socket = this.host.socket()
    if (socket.destroyed || socket.writableEnded) {
      return Promise.reject(new ConnectionError('cannot write: the connection is closed'))
    }
    if (socket.write(bytes)) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        socket.off('close', onClose)
        resolve()
      }
      const onClose = (): void => {
        socket.off('drain', onDrain)
        reject(new ConnectionError('connection closed while writing'))
      }
      socket.once('drain', onDrain)
      socket.once('close', onClose)
    })
  }

  /**
   * writeAll: writes several pieces as one (corked: a single `writev`), none of them copied; resolves
   * when the socket has taken them all (backpressure as in `write`). The pieces must not change until then.
   */
  async writeAll(pieces: readonly Uint8Array[]): Promise<void> {
    if (pieces.length === 1) return this.write(pieces[0] as Uint8Array)
    const socket = this.host.socket()
    socket.cork()
    const writes = pieces.map((piece) => this.write(piece))
    process.nextTick(() => socket.uncork())
    await Promise.all(writes)
  }

  /**
   * readDotBody: the dot-terminated block that follows a reply (POP3 RETR, NNTP ARTICLE, LIST), unstuffed,
   * as the socket's own Buffers. Bytes after the terminator stay for the next reply. Leaving the loop
   * early drains the rest of the block so that the connection stays in step.
   */
  readDotBody(): AsyncGenerator<Buffer, void, undefined> {
    return readDotBody(this)
  }

  /**
   * readDotBodyStream: the same block as a `Readable` (backpressure: the socket is paused while the
   * consumer is slow). The task must wait for the stream to end before it returns.
   */
  readDotBodyStream(): Readable {
    return Readable.from(readDotBody(this), { objectMode: false })
  }

  /**
   * readDotBodyBuffer: the whole block in one Buffer of its own (no socket chunk kept alive by it), bounded
   * by `maxBytes` (default `maxBufferedBodyBytes`). `sizeHint`, the size the server announced (POP3 LIST,
   * RFC 1939 section 5), lets the Buffer be allocated once; a wrong hint costs a copy, never a wrong body.
   * `allocate` provides the memory (a recycled buffer of at least the size asked): the body is then a view of it.
   */
  readDotBodyBuffer(options: { maxBytes?: number; sizeHint?: number; allocate?: BodyAllocator } = {}): Promise<Buffer> {
    return readDotBodyBuffer(this, options.maxBytes ?? this.host.limits.maxBufferedBodyBytes, options.sizeHint, options.allocate)
  }

  /**
   * writeDotBody: sends a body as a dot-stuffed, CRLF-normalised block with its terminating `.` line
   * (SMTP DATA, NNTP POST/IHAVE), streamed with backpressure. Returns the body's size in bytes as given.
   * A large Buffer with CRLF lines is written as views of itself: it must not change until the reply.
   */
  writeDotBody(source: BodySource): Promise<number> {
    return writeDotBody(this, source)
  }

  /** readLine: the next line as bytes, without CRLF, bounded by `limits.maxLineLength`. */
  readLine(options: ReadReplyOptions = {}): Promise<Buffer> {
    const reader = this.host.reader()
    const maxLength = this.host.limits.maxLineLength
    try {
      const line = reader.takeBufferedLine(maxLength)
      if (line !== undefined) return Promise.resolve(line)
    } catch (error) {
      // A broken line limit: takeBufferedLine throws ProtocolError.
      return rejectWith(error)
    }
    const phase = options.phase ?? 'reply'
    return this.waitForLine(reader, maxLength, options.timeout ?? this.timeoutOf(phase), phase)
  }

  /** readTextLine: the next line decoded in the connection's encoding, logged as `S: ...`. */
  async readTextLine(options: ReadReplyOptions = {}): Promise<string> {
    const line = (await this.readLine(options)).toString(this.host.encoding)
    this.host.logLine('S', options.sensitive ? REDACTED : line)
    return line
  }

  /**
   * readCodedReply: the next coded reply, single or multi-line (RFC 959 section 4.2, RFC 5321 section
   * 4.2). The timeout covers the whole reply. Malformed or oversized replies are `ProtocolError`.
   * A reply already received is parsed and returned without waiting (a pipelined batch's replies).
   */
  readCodedReply(options: ReadReplyOptions = {}): Promise<CodedReply> {
    if (this.state.owed > 0) return this.readAfterOwed(options)
    const host = this.host
    const parser = this.state.parser
    // Reads never overlap: a reply left half-read belongs to a wait that was aborted or failed.
    if (parser.pending) parser.reset()
    let reply: CodedReply | undefined
    try {
      const line = host.reader().takeBufferedLine(host.limits.maxLineLength)
      if (line === undefined) return this.waitForReply(options)
      reply = parser.push(line.toString(host.encoding))
    } catch (error) {
      // A broken limit or a malformed reply: ProtocolError.
      return rejectWith(error)
    }
    if (reply === undefined) return this.waitForReply(options)
    host.logReply(reply, options.sensitive === true)
    return Promise.resolve(reply)
  }

  /**
   * oweReply: a command was sent only for the ACK its segment carries, and its reply is not wanted: it is
   * read and dropped before the next reply (`readCodedReply`, in this task or a later one, or
   * `dropOwedReplies`). NNTP's ACK clock sends DATE when INN's Nagle holds the rest of a reply back until
   * our delayed ACK (40 ms): waiting for DATE's own answer would meet the same hold, while the next
   * command's segment releases it. Owe a reply only once every reply before it has been read.
   *
   * ```
   * C: ARTICLE 1   S: 220 0 <a@b> (the article held)   C: DATE (owed)   S: the article
   * C: GROUP misc  S: 111 20261207140000 (dropped)     S: 211 ...
   * ```
   */
  oweReply(): void {
    this.state.owed++
  }

  /**
   * sendReleasingOwed: sends a command after which nothing may be sent before its reply (NNTP's POST, STARTTLS,
   * AUTHINFO) while owed replies wait: its first byte goes alone, so that the segment's ACK releases them
   * and nothing is answered; they are read and dropped; then the rest of the command goes, and its reply is
   * written with nothing unacknowledged before it, so no Nagle holds it. Without owed replies, `send`.
   *
   * ```
   * (owed: 111)   C: P   S: 111 20261207140000 (dropped)   C: OST   S: 340 Ok
   * ```
   */
  async sendReleasingOwed(command: Command): Promise<void> {
    if (this.state.owed === 0) return this.send(command)
    this.host.logCommand(command)
    const bytes = Buffer.from(command.wireText, this.host.encoding)
    await this.write(bytes.subarray(0, 1))
    await this.dropOwedReplies()
    await this.write(bytes.subarray(1))
  }

  /** How many owed replies (`oweReply`) are still to be read. */
  get owedReplies(): number {
    return this.state.owed
  }

  /** dropOwedReplies: reads and drops the owed replies now (see `oweReply`). */
  async dropOwedReplies(options: ReadReplyOptions = {}): Promise<void> {
    while (this.state.owed > 0) {
      this.state.owed--
      await this.readCodedReply(options.timeout === undefined ? {} : { timeout: options.timeout })
    }
  }

  private async readAfterOwed(options: ReadReplyOptions): Promise<CodedReply> {
    await this.dropOwedReplies(options)
    return this.readCodedReply(options)
  }

  /** The rest of a reply that has not fully arrived: the reply timeout runs from here. */
  private async waitForReply(options: ReadReplyOptions): Promise<CodedReply> {
    const host = this.host
    const parser = this.state.parser
    const reader = host.reader()
    const maxLength = host.limits.maxLineLength
    const phase = options.phase ?? 'reply'
    const deadline = this.state.deadline
    let waiting = false
    try {
      for (;;) {
        // Lines already received are parsed without a promise each; only a wait for the network awaits.
        let line = reader.takeBufferedLine(maxLength)
        if (line === undefined) {
          if (!waiting) {
            deadline.begin(options.timeout ?? this.timeoutOf(phase), phase)
            waiting = true
          }
          line = await reader.readLine({ maxLength, signal: this.signal })
        }
        const reply = parser.push(line.toString(host.encoding))
        if (reply !== undefined) {
          host.logReply(reply, options.sensitive === true)
          return reply
        }
      }
    } finally {
      if (waiting) deadline.end()
    }
  }

  private async waitForLine(reader: ByteReader, maxLength: number, timeout: number, phase: TimeoutPhase): Promise<Buffer> {
    const deadline = this.state.deadline
    deadline.begin(timeout, phase)
    try {
      return await reader.readLine({ maxLength, signal: this.signal })
    } finally {
      deadline.end()
    }
  }

  /**
   * expect: checks a reply against what the command accepts. A 4xx/5xx reply it does not accept throws
   * the protocol's `ReplyError` (the connection stays usable); any other unexpected reply is a
   * `ProtocolError`.
   */
  expect(reply: CodedReply, expectation: Expectation, command?: Command): CodedReply {
    if (matchesExpectation(reply, expectation)) return reply
    if (reply.code >= 400) {
      throw this.host.createReplyError({ replyCode: reply.code, lines: reply.lines, command: command?.toLog() })
    }
    const what = command ? `to ${command.toLog()}` : ''
    throw new ProtocolError(`unexpected reply ${what}: ${reply.code} ${reply.lines.join(' ')}`.replace(/\s+/g, ' '))
  }

  /** readChunk: the next raw bytes (a body, a transfer), undefined at EOF; the `data` timeout applies. */
  readChunk(options: { timeout?: number } = {}): Promise<Buffer | undefined> {
    const reader = this.host.reader()
    if (reader.bufferedBytes > 0) return reader.readChunk({ signal: this.signal })
    return this.waitForChunk(reader, options.timeout ?? this.host.timeouts.data)
  }

  private async waitForChunk(reader: ByteReader, timeout: number): Promise<Buffer | undefined> {
    const deadline = this.state.deadline
    deadline.begin(timeout, 'data')
    try {
      return await reader.readChunk({ signal: this.signal })
    } finally {
      deadline.end()
    }
  }

  /** unshift: gives back bytes read too far (what followed a body's terminator belongs to the next reply). */
  unshift(bytes: Buffer): void {
    this.host.reader().unshift(bytes)
  }

  /**
   * upgradeTls: STARTTLS from the client's side, after the server's go-ahead has been read. Bytes that
   * arrived before the handshake are refused as a `ProtocolError` (CVE-2011-0411 class). The caller must
   * ask the capabilities again afterwards. `unwrappable: true` runs the TLS over a carrier stream so that
   * `endTls()` can remove it later (FTP CCC); without it TLS takes over the socket (the faster path).
   */
  upgradeTls(settings?: TlsSettings, options: { unwrappable?: boolean } = {}): Promise<void> {
    return this.host.upgradeTls(settings, this.signal, options.unwrappable === true)
  }

  /**
   * endTls: after the server accepted the removal of TLS (FTP `CCC` answered `200`, RFC 4217 section 6):
   * close_notify both ways, within the reply timeout, then plaintext on the same TCP connection. Needs
   * TLS started with `{ unwrappable: true }` (else `InvalidStateError`). Resolves with the TLS session as
   * it was (to resume on data connections). `TimeoutError` when the server's close_notify does not come.
   */
  endTls(): Promise<Buffer | undefined> {
    return this.host.endTls(this.signal)
  }

  /**
   * startCompression: COMPRESS DEFLATE (RFC 8054) from here on, after the server's `206` has been read:
   * writes are deflated (flushed at each write), reads inflated; the limits apply to the inflated bytes.
   * TLS cannot start afterwards.
   */
  startCompression(): void {
    this.host.startCompression()
  }

  private timeoutOf(phase: TimeoutPhase): number {
    return this.host.timeouts[phase]
  }
}
