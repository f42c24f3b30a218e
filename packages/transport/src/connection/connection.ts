import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import type { Command } from '../command/command.ts'
import { REDACTED } from '../command/command.ts'
import { protocolChannels, transcriptWriter, type DebugOption, type ProtocolChannels } from '../diagnostics/diagnostics.ts'
import {
  ClosedError,
  ConnectionError,
  InvalidArgumentError,
  InvalidStateError,
  NetcError,
  ProtocolError,
  ReplyError,
  TimeoutError,
  type ReplyErrorOptions,
} from '../errors/index.ts'
import { DeflateStream } from '../compress/deflate-stream.ts'
import { ByteReader } from '../io/byte-reader.ts'
import { resolveLimits, type Limits } from '../limits.ts'
import type { CodedReply } from '../reply/coded-reply.ts'
import { connectSocket, type ConnectFunction } from './connect-socket.ts'
import { withConnectTimeout } from './with-connect-timeout.ts'
import { ConnectionIo, type ConnectionIoHost } from './connection-io.ts'
import type { Expectation } from './expectation.ts'
import { startTls, type TlsSettings } from './start-tls.ts'
import { TaskQueue } from './task-queue.ts'
import { defaultTimeouts, type Timeouts } from './timeouts.ts'

/** How to open a Connection. Protocol clients fill most of it from their own options. */
export interface ConnectionOptions {
  host: string
  port: number
  /** The protocol's name for diagnostics channels and messages: `ftp`, `smtp`, `pop3`, `nntp`. */
  protocol: string
  /** TLS from the first byte (RFC 8314): ftps, smtps, pop3s, nntps. */
  implicitTls?: boolean
  /** TLS options, for implicit TLS and for later upgrades. */
  tls?: TlsSettings
  /** The seam that opens the byte stream (default: TCP with TCP_NODELAY). */
  connect?: ConnectFunction
  timeouts?: Partial<Timeouts>
  limits?: Partial<Limits>
  /** How command lines are encoded and replies decoded (default `utf8`; some FTP servers want `latin1`). */
  encoding?: BufferEncoding
  /** `true` writes a `C:`/`S:` transcript to stderr; a function receives each line. Secrets are masked. */
  debug?: DebugOption
  /** Aborts opening. */
  signal?: AbortSignal
  /** Makes the protocol's ReplyError subclass (`SmtpReplyError`, ...). */
  createReplyError?: (options: ReplyErrorOptions) => ReplyError
  /** Address family: 4 or 6 to force one. */
  family?: 0 | 4 | 6
  /** The local address to connect from (a feeding peer's address, a multi-homed host). */
  localAddress?: string
}

/** Options of one operation: its signal. */
export interface RunOptions {
  signal?: AbortSignal | undefined
}

/** Options of `execute`: what the command accepts (default: any 2xx), and the reply's sensitivity. */
export interface ExecuteOptions extends RunOptions {
  expect?: Expectation
  sensitive?: boolean
}

let nextConnectionId = 1

/**
 * Connection: one client connection of a text protocol: the socket (TCP or implicit TLS, through the
 * `connect` seam), a bounded pull reader, a FIFO of tasks, STARTTLS, timeouts, diagnostics. Protocol
 * clients speak through it in commands and replies and never touch a socket.
 *
 * ```ts
 * const connection = await Connection.open({ host: '127.0.0.1', port: 25, protocol: 'smtp' })
 * const greeting = await connection.readGreeting()                    // S: 220 mail.example.com ESMTP
 * const ehlo = await connection.execute(Command.of('EHLO', 'me'))      // C: EHLO me / S: 250-...
 * await connection.close()
 * ```
 * After a `ReplyError` the connection stays usable; after any other error it is closed, and every call
 * waiting on it rejects with `ClosedError` whose `cause` says why.
 */
export class Connection implements AsyncDisposable {
  readonly id = nextConnectionId++
  readonly host: string
  readonly port: number
  readonly protocol: string
  readonly limits: Limits
  readonly timeouts: Timeouts
  readonly encoding: BufferEncoding
  private socket: Duplex
  private readonly reader: ByteReader
  private readonly queue = new TaskQueue()
  private readonly channels: ProtocolChannels
  private readonly transcript: ((line: string) => void) | undefined
  private readonly tlsSettings: TlsSettings
  private readonly replyErrorFactory: (options: ReplyErrorOptions) => ReplyError
  private closeReason: Error | undefined
  private isClosed = false
  private idleTimer: NodeJS.Timeout | undefined
  private lastTlsSession: Buffer | undefined
  /** The TLS socket, when TLS is on (under COMPRESS the socket read and written is the compressor). */
  private tlsSocket: TLSSocket | undefined
  private isCompressed = false
  private readonly ioHost: ConnectionIoHost

  private constructor(socket: Duplex, options: ConnectionOptions, limits: Limits, timeouts: Timeouts) {
    this.socket = socket
    this.host = options.host
    this.port = options.port
    this.protocol = options.protocol
    this.limits = limits
    this.timeouts = timeouts
    this.encoding = options.encoding ?? 'utf8'
    this.tlsSettings = options.tls ?? {}
    this.channels = protocolChannels(options.protocol)
    this.transcript = transcriptWriter(options.debug)
    this.replyErrorFactory = options.createReplyError ?? ((o) => new ReplyError(o))
    if ((socket as Partial<TLSSocket>).encrypted === true) this.tlsSocket = socket as TLSSocket
    this.reader = new ByteReader(socket)
    this.watch(socket)
    this.ioHost = this.makeIoHost()
  }

  /**
   * Connection.open: opens the socket through the seam, runs the TLS handshake for implicit TLS, and
   * resolves before the greeting (read it with `readGreeting`, or `run` for line protocols like POP3).
   */
  static async open(options: ConnectionOptions): Promise<Connection> {
    if (!options.host) throw new InvalidArgumentError('host is required')
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new InvalidArgumentError(`invalid port: ${String(options.port)}`)
    }
    const timeouts = { ...defaultTimeouts, ...options.timeouts }
    const limits = resolveLimits(options.limits)
    const connect = options.connect ?? connectSocket
    const channels = protocolChannels(options.protocol)
    const started = Date.now()
    let socket = await withConnectTimeout(
      connect({
        host: options.host,
        port: options.port,
        timeout: timeouts.connect,
        signal: options.signal,
        family: options.family,
        localAddress: options.localAddress,
      }),
      options,
      timeouts.connect,
    )
    if (options.implicitTls) {
      const remaining = timeouts.connect > 0 ? Math.max(1, timeouts.connect - (Date.now() - started)) : 0
      socket = await startTls(socket, options.tls ?? {}, { host: options.host, timeout: remaining, signal: options.signal })
    }
    const connection = new Connection(socket, options, limits, timeouts)
    if (channels.connect.hasSubscribers) {
      channels.connect.publish({ connectionId: connection.id, host: options.host, port: options.port, implicitTls: options.implicitTls === true })
    }
    if (options.implicitTls) connection.publishTls()
    return connection
  }

  /** True once the connection is closed or broken; every call then rejects with `ClosedError`. */
  get closed(): boolean {
    return this.isClosed
  }

  /** Why the connection closed, when it broke (undefined after a deliberate close). */
  get reason(): Error | undefined {
    return this.closeReason
  }

  /** True when the bytes go over TLS (implicit, or after an upgrade). */
  get secure(): boolean {
    return this.tlsSocket !== undefined
  }

  /** True once COMPRESS DEFLATE is active (RFC 8054). */
  get compressed(): boolean {
    return this.isCompressed
  }

  /**
   * The TLS session of this connection, to resume on FTP data channels (RFC 4217 section 10.2). Under
   * TLS 1.3 the session ticket arrives after the handshake; the latest one is kept.
   */
  get tlsSession(): Buffer | undefined {
    if (this.tlsSocket === undefined) return undefined
    return this.lastTlsSession ?? this.tlsSocket.getSession()
  }

  /** The TLS protocol and cipher in use, or undefined in plaintext. */
  get tlsInfo(): { protocol: string | null; cipher: string; authorized: boolean } | undefined {
    const tls = this.tlsSocket
    if (tls === undefined) return undefined
    return { protocol: tls.getProtocol(), cipher: tls.getCipher().name, authorized: tls.authorized }
  }

  /**
   * run: runs `task` when every earlier call has finished, with exclusive use of the wire. Errors other
   * than `ReplyError`, `InvalidArgumentError` and `InvalidStateError` close the connection.
   */
  run<T>(task: (io: ConnectionIo) => Promise<T>, options: RunOptions = {}): Promise<T> {
    if (this.isClosed) return Promise.reject(this.closedError())
    this.clearIdle()
    return this.queue
      .run(async () => {
        if (this.isClosed) throw this.closedError()
        try {
          return await task(new ConnectionIo(this.ioHost, options.signal))
        } catch (error) {
          throw this.afterError(error)
        }
      }, options.signal)
      .finally(() => this.armIdle())
  }

  /** execute: sends one command and reads its reply, checked against `expect` (default: any 2xx). */
  execute(command: Command, options: ExecuteOptions = {}): Promise<CodedReply> {
    return this.run(async (io) => {
      await io.send(command)
      const reply = await io.readCodedReply({ sensitive: options.sensitive === true })
      return io.expect(reply, options.expect ?? 2, command)
    }, options)
  }

  /**
   * executeAll: pipelining (RFC 2920): writes every command in one write, then reads one reply per
   * command, in order. Replies are returned as they are, refusals included; the caller judges them.
   */
  executeAll(commands: readonly Command[], options: RunOptions = {}): Promise<CodedReply[]> {
    return this.run(async (io) => {
      await io.send(commands)
      const replies: CodedReply[] = []
      for (let i = 0; i < commands.length; i++) replies.push(await io.readCodedReply())
      return replies
    }, options)
  }

  /** readGreeting: reads the coded greeting (FTP 220, SMTP 220, NNTP 200/201); a 4xx/5xx throws. */
  readGreeting(options: RunOptions & { expect?: Expectation } = {}): Promise<CodedReply> {
    return this.run(async (io) => io.expect(await io.readCodedReply({ phase: 'greeting' }), options.expect ?? 2), options)
  }

  /** close: waits for queued calls, ends the socket gracefully and waits for it to close. Idempotent. */
  async close(): Promise<void> {
    if (!this.isClosed) await this.queue.idle()
    this.clearIdle()
    if (this.isClosed && this.socket.destroyed) return
    this.markClosed(undefined)
    const socket = this.socket
    await new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve()
      const timer = setTimeout(() => socket.destroy(), 2000)
      socket.once('close', () => {
        clearTimeout(timer)
        resolve()
      })
      socket.end()
    })
  }

  /** destroy: drops the socket now; pending calls reject with `ClosedError` (its cause: `reason`). */
  destroy(reason?: Error): void {
    this.clearIdle()
    this.markClosed(reason)
    this.reader.fail(this.closedError())
    this.socket.destroy()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  private afterError(error: unknown): unknown {
    if (ReplyError.isInstance(error) || InvalidArgumentError.isInstance(error) || InvalidStateError.isInstance(error)) {
      return error
    }
    // Anything else leaves the wire in an unknown state (a reply half read, a body half written): close.
    // An error of the caller's own (a message stream that failed) goes back to the caller unchanged; the
    // connection's reason says what happened to it.
    const reason = NetcError.isInstance(error)
      ? error
      : new ConnectionError(`connection closed after a failure in the operation: ${messageOf(error)}`, { cause: error })
    if (!this.isClosed || !this.socket.destroyed) this.destroy(reason)
    return error
  }

  private closedError(): ClosedError {
    const reason = this.closeReason
    return new ClosedError(reason ? `connection closed: ${reason.message}` : 'connection closed', { cause: reason })
  }

  private markClosed(reason: Error | undefined): void {
    if (this.isClosed) return
    this.isClosed = true
    this.closeReason = reason
  }

  private watch(socket: Duplex): void {
    socket.on('session', (session: Buffer) => {
      this.lastTlsSession = session
    })
    socket.on('error', () => undefined) // errors reach the reader; this keeps them from being unhandled
    socket.once('close', () => {
      if (socket !== this.socket) return
      if (!this.isClosed) this.markClosed(new ConnectionError('connection closed by the server'))
    })
  }

  private armIdle(): void {
    if (this.timeouts.idle <= 0 || this.isClosed || this.queue.size > 0) return
    this.clearIdle()
    this.idleTimer = setTimeout(() => {
      const timeout = this.timeouts.idle
      this.destroy(new TimeoutError(`connection idle for ${timeout} ms`, { phase: 'idle', timeout }))
    }, this.timeouts.idle)
    this.idleTimer.unref()
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = undefined
  }

  private publishTls(): void {
    if (this.channels.tls.hasSubscribers) this.channels.tls.publish({ connectionId: this.id, ...this.tlsInfo })
    const info = this.tlsInfo
    if (info) this.transcript?.(`-- TLS ${info.protocol ?? ''} ${info.cipher}`)
  }

  private async upgrade(settings: TlsSettings | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (this.secure) throw new InvalidStateError('the connection is already secure')
    if (this.isCompressed) throw new InvalidStateError('TLS cannot start under COMPRESS (RFC 8054 section 2.2.2)')
    const early = this.reader.detach()
    if (early.length > 0) {
      throw new ProtocolError(`the server sent ${early.length} bytes after its STARTTLS reply, before the TLS handshake (injection)`)
    }
    const plain = this.socket
    const secure = await startTls(plain, { ...this.tlsSettings, ...settings }, { host: this.host, timeout: this.timeouts.connect, signal })
    this.socket = secure
    this.tlsSocket = secure
    this.watch(secure)
    this.reader.attach(secure)
    this.publishTls()
  }

  private compress(): void {
    if (this.isCompressed) throw new InvalidStateError('COMPRESS is already active')
    // Unlike STARTTLS, bytes that came after the go-ahead are not an injection: they are the first
    // compressed bytes (a server may send its next reply at once), so they go to the inflater.
    const pending = this.reader.detach()
    const stream = new DeflateStream(this.socket, pending)
    this.socket = stream
    this.isCompressed = true
    this.watch(stream)
    this.reader.attach(stream)
    this.transcript?.('-- COMPRESS DEFLATE')
  }

  private makeIoHost(): ConnectionIoHost {
    return {
      reader: () => this.reader,
      socket: () => this.socket,
      limits: this.limits,
      timeouts: this.timeouts,
      encoding: this.encoding,
      createReplyError: (options) => this.replyErrorFactory(options),
      logCommand: (command: Command) => {
        if (this.channels.command.hasSubscribers) this.channels.command.publish({ connectionId: this.id, command: command.toLog() })
        this.transcript?.(`C: ${command.toLog()}`)
      },
      logReply: (reply, sensitive) => {
        const lines = sensitive ? [REDACTED] : reply.lines
        if (this.channels.reply.hasSubscribers) this.channels.reply.publish({ connectionId: this.id, code: reply.code, lines })
        if (this.transcript) {
          lines.forEach((line, i) => this.transcript?.(`S: ${reply.code}${i === lines.length - 1 ? ' ' : '-'}${line}`))
        }
      },
      logLine: (direction, line) => this.transcript?.(`${direction}: ${line}`),
      upgradeTls: (settings, signal) => this.upgrade(settings, signal),
      startCompression: () => this.compress(),
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
