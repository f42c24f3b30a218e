import type { Duplex } from 'node:stream'
import type { Command } from '../command/command.ts'
import { REDACTED } from '../command/command.ts'
import { protocolChannels, transcriptWriter, type ProtocolChannels } from '../diagnostics/diagnostics.ts'
import {
  ClosedError,
  ConnectionError,
  InvalidArgumentError,
  InvalidStateError,
  NetcError,
  ReplyError,
  type ReplyErrorOptions,
} from '../errors/index.ts'
import { messageOf } from '../errors/message-of.ts'
import { ByteReader } from '../io/byte-reader.ts'
import { resolveLimits, type Limits } from '../limits.ts'
import type { CodedReply } from '../reply/coded-reply.ts'
import { connectSocket, type ConnectFunction } from './connect-socket.ts'
import { describeProxy } from '../proxy/proxy-settings.ts'
import { resolveConnector } from '../proxy/resolve-connector.ts'
import { withConnectTimeout } from './with-connect-timeout.ts'
import { ConnectionIo, makeReadState, type ConnectionIoHost } from './connection-io.ts'
import type { Expectation } from './expectation.ts'
import { connectTlsSocket, startTls, type TlsSettings } from './start-tls.ts'
import { ConnectionLayers } from './connection-layers.ts'
import type { ConnectionOptions, ExecuteOptions, RunOptions } from './connection-options.ts'
import { TaskQueue } from './task-queue.ts'
import { defaultTimeouts, type Timeouts } from './timeouts.ts'
import { sendKeepAlive } from './keep-alive.ts'
import { ConnectionIdle } from './connection-idle.ts'

export type { ConnectionOptions, ExecuteOptions, RunOptions } from './connection-options.ts'

let nextConnectionId = 1

/** The route a Connection took: the connect function (proxy included), the proxy's URL, the socket's addresses. */
interface ConnectionRoute {
  connect: ConnectFunction
  proxy: string | undefined
  localAddress: string | undefined
  remoteAddress: string | undefined
}

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
  private readonly reader: ByteReader
  private readonly queue = new TaskQueue()
  private readonly channels: ProtocolChannels
  private readonly transcript: ((line: string) => void) | undefined
  private readonly replyErrorFactory: (options: ReplyErrorOptions) => ReplyError
  private closeReason: Error | undefined
  private isClosed = false
  /** The idle timeout and the keep-alive: they stop while calls run or wait. */
  private readonly idle: ConnectionIdle
  /** How the socket was opened; the proxy only as its URL without credentials (an inspected Connection shows no secret). */
  private readonly route: ConnectionRoute
  private lastTlsSession: Buffer | undefined
  /** The socket, TLS and COMPRESS: what is read and written is `layers.top`. */
  private readonly layers: ConnectionLayers
  private readonly ioHost: ConnectionIoHost

  private constructor(socket: Duplex, reader: ByteReader, options: ConnectionOptions, limits: Limits, timeouts: Timeouts, route: Connection['route']) {
    this.route = route
    this.host = options.host
    this.port = options.port
    this.protocol = options.protocol
    this.limits = limits
    this.timeouts = timeouts
    this.encoding = options.encoding ?? 'utf8'
    this.channels = protocolChannels(options.protocol)
    this.transcript = transcriptWriter(options.debug)
    this.replyErrorFactory = options.createReplyError ?? ((o) => new ReplyError(o))
    this.reader = reader
    this.layers = new ConnectionLayers(socket, {
      reader,
      host: this.host,
      tlsSettings: options.tls ?? {},
      timeouts,
      watch: (stream) => this.watch(stream),
      note: (line) => this.transcript?.(line),
    })
    reader.attach(socket)
    this.watch(socket)
    this.ioHost = this.makeIoHost()
    this.idle = new ConnectionIdle(timeouts.idle, options.keepAlive, {
      isIdle: () => !this.isClosed && this.queue.size === 0,
      isClosed: () => this.isClosed,
      runKeepAlive: (keepAlive) => {
        const io = new ConnectionIo(this.ioHost, undefined)
        return this.queue.run(() => (this.isClosed ? Promise.resolve() : sendKeepAlive(io, keepAlive)))
      },
      destroy: (reason) => this.destroy(reason),
    })
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
    const route = resolveConnector(options)
    const channels = protocolChannels(options.protocol)
    const started = Date.now()
    const reader = new ByteReader()
    // A socket of our own (TCP, or implicit TLS on TCP) reads into the reader's one reusable buffer (no
    // Buffer per read); proxies and seams deliver their own chunks.
    const direct = route.connect === connectSocket
    const target = {
      host: options.host,
      port: options.port,
      timeout: timeouts.connect,
      signal: options.signal,
      family: options.family,
      localAddress: options.localAddress,
      ...(direct ? { onread: reader.onread } : {}),
    }
    let socket = await withConnectTimeout(
      direct && options.implicitTls === true ? connectTlsSocket(target, options.tls ?? {}) : route.connect(target),
      options,
      timeouts.connect,
    )
    const addresses = socket as Duplex & { localAddress?: unknown; remoteAddress?: unknown }
    const localAddress = typeof addresses.localAddress === 'string' ? addresses.localAddress : undefined
    const remoteAddress = route.proxy === undefined && typeof addresses.remoteAddress === 'string' ? addresses.remoteAddress : undefined
    if (options.implicitTls && !direct) {
      const remaining = timeouts.connect > 0 ? Math.max(1, timeouts.connect - (Date.now() - started)) : 0
      socket = await startTls(socket, options.tls ?? {}, { host: options.host, timeout: remaining, signal: options.signal })
    }
    const proxy = route.proxy === undefined ? undefined : describeProxy(route.proxy)
    const connection = new Connection(socket, reader, options, limits, timeouts, { connect: route.connect, proxy, localAddress, remoteAddress })
    if (channels.connect.hasSubscribers) {
      channels.connect.publish({ connectionId: connection.id, host: options.host, port: options.port, implicitTls: options.implicitTls === true, proxy })
    }
    if (proxy !== undefined) connection.transcript?.(`-- proxy ${proxy}`)
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

  /**
   * The connect function this connection came through, proxy included: FTP opens its data connections
   * with it, so that they take the same route as the control connection.
   */
  get connector(): ConnectFunction {
    return this.route.connect
  }

  /** The proxy this connection goes through, as a URL without credentials (`socks5h://gw:1080`), or undefined. */
  get proxy(): string | undefined {
    return this.route.proxy
  }

  /** The local address of the socket (to the proxy, when there is one), when the stream is a socket. */
  get localAddress(): string | undefined {
    return this.route.localAddress
  }

  /** The server's address on a direct socket; undefined through a proxy (the peer is the proxy) or a custom seam. */
  get remoteAddress(): string | undefined {
    return this.route.remoteAddress
  }

  /** True when the bytes go over TLS (implicit, or after an upgrade). */
  get secure(): boolean {
    return this.layers.tls !== undefined
  }

  /** True once COMPRESS DEFLATE is active (RFC 8054). */
  get compressed(): boolean {
    return this.layers.compressed
  }

  /**
   * The TLS session of this connection, to resume on FTP data channels (RFC 4217 section 10.2). Under
   * TLS 1.3 the session ticket arrives after the handshake; the latest one is kept.
   */
  get tlsSession(): Buffer | undefined {
    const tls = this.layers.tls
    if (tls === undefined) return undefined
    return this.lastTlsSession ?? tls.getSession()
  }

  /** The TLS protocol and cipher in use, or undefined in plaintext. */
  get tlsInfo(): { protocol: string | null; cipher: string; authorized: boolean } | undefined {
    const tls = this.layers.tls
    if (tls === undefined) return undefined
    return { protocol: tls.getProtocol(), cipher: tls.getCipher().name, authorized: tls.authorized }
  }

  /**
   * run: runs `task` when every earlier call has finished, with exclusive use of the wire. Errors other
   * than `ReplyError`, `InvalidArgumentError` and `InvalidStateError` close the connection.
   */
  run<T>(task: (io: ConnectionIo) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const signal = options.signal
    return this.enqueue(() => this.runTask(task, signal), signal)
  }

  /** execute: sends one command and reads its reply, checked against `expect` (default: any 2xx). */
  execute(command: Command, options: ExecuteOptions = {}): Promise<CodedReply> {
    return this.enqueue(() => this.exchange(command, options), options.signal)
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

  /**
   * endTls: removes TLS from a connection whose TLS was started with `{ unwrappable: true }`, after the
   * server accepted it (FTP `CCC` answered `200`, RFC 4217 section 6): close_notify both ways, then
   * plaintext on the same TCP connection. Resolves with the TLS session as it was (FTP data connections
   * keep resuming it). Inside a task, use `io.endTls()`.
   *
   * ```ts
   * await connection.run(async (io) => {
   *   await io.send(Command.of('AUTH', 'TLS')); io.expect(await io.readCodedReply(), 234)
   *   await io.upgradeTls(undefined, { unwrappable: true })           // TLS over a carrier
   * })
   * await connection.execute(Command.of('CCC'), { expect: 200 })      // S: 200 (in TLS)
   * const session = await connection.endTls()                          // close_notify both ways
   * await connection.execute(Command.of('PWD'))                        // in plaintext
   * ```
   */
  endTls(options: RunOptions = {}): Promise<Buffer | undefined> {
    return this.run((io) => io.endTls(), options)
  }

  /**
   * close: waits for queued calls, ends the socket gracefully (TLS close_notify, then FIN) and closes it
   * once that is sent, without waiting for the server's own FIN: after the answer to QUIT the server has
   * nothing more to say (RFC 5246 section 7.2.1: the initiator of a close need not wait for the other
   * close_notify). A server that answered QUIT and then took 2-10 ms to exit (INN's nnrpd) held every
   * close() that long. A write that cannot drain is dropped after 2 s. Idempotent.
   *
   * ```ts
   * await connection.execute(Command.of('QUIT'), { expect: 205 })   // S: 205 closing connection
   * await connection.close()                                         // C: FIN (the server's comes after)
   * ```
   */
  async close(): Promise<void> {
    if (!this.isClosed) await this.queue.idle()
    this.idle.stop()
    const socket = this.layers.top
    if (this.isClosed && socket.destroyed) return
    this.markClosed(undefined)
    const carrier = this.layers.carrier
    carrier?.endGracefully()
    await new Promise<void>((resolve) => {
      if (socket.destroyed) return resolve()
      const timer = setTimeout(() => socket.destroy(), 2000)
      socket.once('close', () => {
        clearTimeout(timer)
        resolve()
      })
      // Over a carrier (TLS that CCC may unwrap) the raw socket ends after the TLS one: wait for it.
      socket.end(carrier === undefined ? () => socket.destroy() : undefined)
    })
  }

  /** destroy: drops the socket now; pending calls reject with `ClosedError` (its cause: `reason`). */
  destroy(reason?: Error): void {
    this.idle.stop()
    this.markClosed(reason)
    this.reader.fail(this.closedError())
    this.layers.top.destroy()
    this.layers.carrier?.destroy()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  /**
   * The queue's side of `run` and `execute`: `job` runs when every earlier call has finished (it maps its
   * own errors through `afterError`); the idle timers stop meanwhile and start again once nothing runs.
   */
  private enqueue<T>(job: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (this.isClosed) return Promise.reject(this.closedError())
    // Without an idle timeout or a keep-alive (the defaults) there is nothing to stop and start again.
    if (!this.idle.active) return this.queue.run(job, signal)
    this.idle.stop()
    return this.queue.run(job, signal).then(this.idle.settledWith, this.idle.settledThrowing)
  }

  /** One `run` task on the wire, its errors judged by `afterError`. */
  private async runTask<T>(task: (io: ConnectionIo) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (this.isClosed) throw this.closedError()
    try {
      return await task(new ConnectionIo(this.ioHost, signal))
    } catch (error) {
      throw this.afterError(error)
    }
  }

  /** `execute`'s task: the command, its reply, the check; in one async frame (the path of every one-command call). */
  private async exchange(command: Command, options: ExecuteOptions): Promise<CodedReply> {
    if (this.isClosed) throw this.closedError()
    const io = new ConnectionIo(this.ioHost, options.signal)
    try {
      await io.send(command)
      const reply = await io.readCodedReply({ sensitive: options.sensitive === true })
      return io.expect(reply, options.expect ?? 2, command)
    } catch (error) {
      throw this.afterError(error)
    }
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
    if (!this.isClosed || !this.layers.top.destroyed) this.destroy(reason)
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
      const layers = this.layers
      if (socket !== layers.top) return
      // A TLS session that ended over a carrier left its TCP connection open (CCC, or a stray close_notify
      // that the next read reports): only the TCP socket's close closes the connection.
      if (layers.carrier !== undefined && socket === layers.tls && !layers.carrier.raw.destroyed) return
      if (!this.isClosed) this.markClosed(new ConnectionError('connection closed by the server'))
    })
  }

  private publishTls(): void {
    if (this.channels.tls.hasSubscribers) this.channels.tls.publish({ connectionId: this.id, ...this.tlsInfo })
    const info = this.tlsInfo
    if (info) this.transcript?.(`-- TLS ${info.protocol ?? ''} ${info.cipher}`)
  }

  private async upgrade(settings: TlsSettings | undefined, signal: AbortSignal | undefined, unwrappable = false): Promise<void> {
    await this.layers.startTls(settings, signal, unwrappable)
    this.publishTls()
  }

  /** The client side of CCC's TLS shutdown (RFC 4217 section 6); see `endTls`. */
  private async unwrap(signal: AbortSignal | undefined): Promise<Buffer | undefined> {
    const session = this.tlsSession // the data connections resume it after the shutdown
    await this.layers.endTls(signal)
    this.lastTlsSession = undefined
    return session
  }

  private makeIoHost(): ConnectionIoHost {
    return {
      reader: () => this.reader,
      socket: () => this.layers.top,
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
      upgradeTls: (settings, signal, unwrappable) => this.upgrade(settings, signal, unwrappable),
      endTls: (signal) => this.unwrap(signal),
      startCompression: () => this.layers.startCompression(),
      readState: makeReadState(this.limits, (error) => this.reader.fail(error)),
    }
  }
}
