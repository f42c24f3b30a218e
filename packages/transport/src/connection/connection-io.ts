import { Readable, type Duplex } from 'node:stream'
import type { Command } from '../command/command.ts'
import { REDACTED } from '../command/command.ts'
import { ConnectionError, ProtocolError, type ReplyError, type ReplyErrorOptions, type TimeoutPhase } from '../errors/index.ts'
import type { ByteReader } from '../io/byte-reader.ts'
import type { Limits } from '../limits.ts'
import type { CodedReply } from '../reply/coded-reply.ts'
import { CodedReplyParser } from '../reply/coded-reply-parser.ts'
import { matchesExpectation, type Expectation } from './expectation.ts'
import type { Timeouts } from './timeouts.ts'
import type { TlsSettings } from './start-tls.ts'
import { readDotBody, readDotBodyBuffer, writeDotBody, type BodySource } from './dot-body-io.ts'

/** How one read goes: its phase (for the timeout), an override of the timeout, whether it holds secrets. */
export interface ReadReplyOptions {
  phase?: TimeoutPhase
  timeout?: number
  /** The reply carries a SASL challenge or similar: it is logged as `****`. */
  sensitive?: boolean
}

/** The hooks a ConnectionIo calls back into its Connection (kept apart so that io stays small). */
export interface ConnectionIoHost {
  /** The reader of the current socket (it changes after a TLS upgrade). */
  reader(): ByteReader
  /** The current socket, plaintext or TLS. */
  socket(): Duplex
  readonly limits: Limits
  readonly timeouts: Timeouts
  readonly encoding: BufferEncoding
  createReplyError(options: ReplyErrorOptions): ReplyError
  logCommand(command: Command): void
  logReply(reply: CodedReply, sensitive: boolean): void
  logLine(direction: 'C' | 'S', line: string): void
  upgradeTls(settings: TlsSettings | undefined, signal: AbortSignal | undefined): Promise<void>
  startCompression(): void
}

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

  constructor(host: ConnectionIoHost, signal: AbortSignal | undefined) {
    this.host = host
    this.signal = signal
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
   * send: writes one command, or a pipelined batch (RFC 2920), in one write, logging each redacted.
   * `payload` goes out in the same write after the commands (SMTP's `BDAT n` and its chunk, RFC 3030).
   */
  async send(commands: Command | readonly Command[], payload?: Uint8Array): Promise<void> {
    const list = Array.isArray(commands) ? (commands as readonly Command[]) : [commands as Command]
    const encoding = this.host.encoding
    const lines = list.length === 1 ? (list[0] as Command).toWire(encoding) : Buffer.concat(list.map((c) => c.toWire(encoding)))
    for (const command of list) this.host.logCommand(command)
    if (payload === undefined || payload.length === 0) return this.write(lines)
    if (payload.length < 64 * 1024) return this.write(Buffer.concat([lines, payload]))
    // A big payload is not copied: both writes go out corked, as one writev.
    const socket = this.host.socket()
    socket.cork()
    const first = this.write(lines)
    const second = this.write(payload)
    process.nextTick(() => socket.uncork())
    await Promise.all([first, second])
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
   */
  readDotBodyBuffer(options: { maxBytes?: number; sizeHint?: number } = {}): Promise<Buffer> {
    return readDotBodyBuffer(this, options.maxBytes ?? this.host.limits.maxBufferedBodyBytes, options.sizeHint)
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
    const phase = options.phase ?? 'reply'
    return this.host.reader().readLine({
      maxLength: this.host.limits.maxLineLength,
      timeout: options.timeout ?? this.timeoutOf(phase),
      phase,
      signal: this.signal,
    })
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
   */
  async readCodedReply(options: ReadReplyOptions = {}): Promise<CodedReply> {
    const phase = options.phase ?? 'reply'
    const timeout = options.timeout ?? this.timeoutOf(phase)
    const deadline = timeout > 0 ? Date.now() + timeout : 0
    const parser = new CodedReplyParser(this.host.limits)
    const reader = this.host.reader()
    const maxLength = this.host.limits.maxLineLength
    for (;;) {
      // Lines already received are parsed without a promise each; only a wait for the network awaits.
      let line = reader.takeBufferedLine(maxLength)
      if (line === undefined) {
        const remaining = deadline === 0 ? undefined : Math.max(1, deadline - Date.now())
        line = await reader.readLine({ maxLength, timeout: remaining, phase, signal: this.signal })
      }
      const reply = parser.push(line.toString(this.host.encoding))
      if (reply !== undefined) {
        this.host.logReply(reply, options.sensitive === true)
        return reply
      }
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
    return this.host.reader().readChunk({ timeout: options.timeout ?? this.host.timeouts.data, phase: 'data', signal: this.signal })
  }

  /** unshift: gives back bytes read too far (what followed a body's terminator belongs to the next reply). */
  unshift(bytes: Buffer): void {
    this.host.reader().unshift(bytes)
  }

  /**
   * upgradeTls: STARTTLS from the client's side, after the server's go-ahead has been read. Bytes that
   * arrived before the handshake are refused as a `ProtocolError` (CVE-2011-0411 class). The caller must
   * ask the capabilities again afterwards.
   */
  upgradeTls(settings?: TlsSettings): Promise<void> {
    return this.host.upgradeTls(settings, this.signal)
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
