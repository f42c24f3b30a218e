import { createServer, connect as netConnect, type Server, type Socket } from 'node:net'
import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * ProxyFault: what a FaultProxy does to the server's bytes once its trigger fires (DESIGN.md, tests layer 3).
 * - `reset`: a TCP RST to the client; `eof`: a FIN to the client; `stall`: nothing more, socket kept open;
 * - `garbage`: bytes that are no reply; `oversized`: one line longer than any line limit;
 * - `drip`: the rest one byte per turn of the event loop (a slow link: the client must still succeed);
 * - `inject`: plaintext glued to the line that let the trigger pass (STARTTLS injection, CVE-2011-0411);
 * - `none`: nothing (the baseline run of a matrix).
 */
export type ProxyFault = 'none' | 'reset' | 'eof' | 'stall' | 'garbage' | 'oversized' | 'drip' | 'inject'

/** Options of `FaultProxy.start`. */
export interface FaultProxyOptions {
  /** The server behind the proxy (a fake server on 127.0.0.1 or ::1). */
  target: { host: string; port: number }
  fault: ProxyFault
  /**
   * When the fault starts: `'accept'` (before the server's first byte: the greeting phase), or at the first
   * line the client sends that matches, e.g. `/^STARTTLS/i` (a phase begins with its command).
   */
  trigger: 'accept' | RegExp
  /**
   * Whole server lines let through after the trigger before the fault starts: `1` after `STARTTLS` puts
   * the fault into the TLS handshake (it strikes at the client's next bytes, its ClientHello; `inject`
   * strikes at once, glued to that line). Default 0.
   */
  afterLines?: number
  /** The bytes of `garbage`. Default a TLS-looking binary line. */
  garbage?: Buffer
  /** The length of the `oversized` line, CRLF excluded. Default 128 KiB (twice the default line limit). */
  oversizedBytes?: number
  /** The bytes of `inject`. Default `'250 injected\r\n'`. */
  inject?: Buffer
}

const defaultGarbage = Buffer.from('\u0016\u0003\u0001\u0000\u00ff\u00fe not a reply \u0000\r\n', 'latin1')

/**
 * FaultProxy: a TCP proxy on 127.0.0.1, port 0, between a client and a fake server, that strikes one fault
 * at a chosen phase of the dialogue. The phase is found from the client's plaintext commands, so the same
 * proxy serves FTP, SMTP, POP3 and NNTP; after STARTTLS it only sees ciphertext, and faults aimed past the
 * handshake need a plaintext session.
 *
 * ```ts
 * await using proxy = await FaultProxy.start({ target: server, fault: 'stall', trigger: /^RETR /i })
 * const pop = await Pop3Client.connect({ host: proxy.host, port: proxy.port, ... })   // RETR times out
 * expect(proxy.faultsStruck).toBe(1)
 * ```
 */
export class FaultProxy implements AsyncDisposable {
  readonly host = '127.0.0.1'
  readonly port: number
  readonly #server: Server
  readonly #options: FaultProxyOptions
  readonly #sockets = new Set<Socket>()
  #struck = 0
  #accepted = 0

  private constructor(server: Server, options: FaultProxyOptions) {
    this.#server = server
    this.#options = options
    const address = server.address()
    this.port = typeof address === 'object' && address !== null ? address.port : 0
    server.on('connection', (socket: Socket) => this.#accept(socket))
  }

  /** FaultProxy.start: listens on 127.0.0.1, port 0. */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const server = createServer({ noDelay: true })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        server.off('error', reject)
        resolve()
      })
    })
    return new FaultProxy(server, options)
  }

  /** How many times the fault struck (a matrix asserts 1: a trigger that never fires proves nothing). */
  get faultsStruck(): number {
    return this.#struck
  }

  /** Connections accepted so far. */
  get accepted(): number {
    return this.#accepted
  }

  /** Sockets still open, both sides counted (0 once every connection has ended). */
  get openSockets(): number {
    return this.#sockets.size
  }

  /** close: stops listening and destroys every open socket. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => this.#sockets.delete(socket))
  }

  #accept(client: Socket): void {
    this.#accepted++
    this.#track(client)
    const upstream = netConnect({ host: this.#options.target.host, port: this.#options.target.port, noDelay: true })
    this.#track(upstream)
    client.on('close', () => upstream.destroy())
    new ProxiedConnection(client, upstream, this.#options, () => this.#struck++).start()
  }
}

/** ProxiedConnection: one client and its upstream, with the trigger and the fault. Internal to FaultProxy. */
class ProxiedConnection {
  readonly #client: Socket
  readonly #upstream: Socket
  readonly #options: FaultProxyOptions
  readonly #onStrike: () => void
  #triggered = false
  #linesToPass: number
  #active = false
  #armed = false
  #clientText = ''
  #drip: Promise<void> = Promise.resolve()

  constructor(client: Socket, upstream: Socket, options: FaultProxyOptions, onStrike: () => void) {
    this.#client = client
    this.#upstream = upstream
    this.#options = options
    this.#onStrike = onStrike
    this.#linesToPass = options.afterLines ?? 0
  }

  start(): void {
    this.#client.on('data', (chunk: Buffer) => this.#fromClient(chunk))
    this.#client.on('end', () => this.#upstream.end())
    this.#upstream.on('data', (chunk: Buffer) => this.#fromServer(chunk))
    this.#upstream.on('end', () => {
      if (!(this.#active && this.#options.fault === 'stall')) void this.#drip.then(() => this.#client.end())
    })
    this.#upstream.on('close', () => {
      if (!(this.#active && this.#options.fault === 'stall')) void this.#drip.then(() => this.#client.destroySoon())
    })
    if (this.#options.trigger === 'accept') this.#trigger()
  }

  #fromClient(chunk: Buffer): void {
    if (!this.#upstream.destroyed) this.#upstream.write(chunk)
    if (this.#armed && !this.#active) return this.#strike(Buffer.alloc(0))
    const trigger = this.#options.trigger
    if (this.#triggered || trigger === 'accept') return
    this.#clientText += chunk.toString('latin1')
    const lines = this.#clientText.split('\n')
    this.#clientText = (lines.pop() ?? '').slice(-4096)
    if (lines.some((line) => trigger.test(line.replace(/\r$/, '')))) this.#trigger()
  }

  #trigger(): void {
    this.#triggered = true
    if (this.#linesToPass === 0) this.#strike(Buffer.alloc(0))
  }

  #fromServer(chunk: Buffer): void {
    if (this.#active) return this.#faulty(chunk)
    if (!this.#triggered || this.#linesToPass === 0) return void this.#client.write(chunk)
    let end = 0
    while (this.#linesToPass > 0) {
      const at = chunk.indexOf(0x0a, end)
      if (at === -1) break
      end = at + 1
      this.#linesToPass--
    }
    if (this.#linesToPass > 0) return void this.#client.write(chunk)
    const passed = chunk.subarray(0, end)
    const rest = chunk.subarray(end)
    if (this.#options.fault === 'inject' || rest.length > 0) {
      this.#strike(passed)
      if (rest.length > 0) this.#faulty(rest)
    } else {
      // The fault waits for the client's next bytes (after STARTTLS: its ClientHello), so that it strikes
      // inside the handshake rather than glued to the go-ahead (that is `inject`).
      this.#client.write(passed)
      this.#armed = true
    }
  }

  /** Starts the fault; `passed` is the end of the last line let through, sent in the same write. */
  #strike(passed: Buffer): void {
    this.#active = true
    this.#onStrike()
    const { fault } = this.#options
    const send = (extra: Buffer): void => void this.#client.write(Buffer.concat([passed, extra]))
    if (fault === 'reset') {
      if (passed.length > 0) this.#client.write(passed)
      this.#client.resetAndDestroy()
      this.#upstream.destroy()
    } else if (fault === 'eof') {
      this.#client.end(passed)
      this.#upstream.destroy()
    } else if (fault === 'garbage') send(this.#options.garbage ?? defaultGarbage)
    else if (fault === 'oversized') send(Buffer.from(`${'x'.repeat(this.#options.oversizedBytes ?? 128 * 1024)}\r\n`))
    else if (fault === 'inject') send(this.#options.inject ?? Buffer.from('250 injected\r\n'))
    else if (passed.length > 0) this.#client.write(passed)
  }

  #faulty(chunk: Buffer): void {
    const { fault } = this.#options
    if (fault === 'stall' || fault === 'reset' || fault === 'eof') return
    if (fault !== 'drip') return void this.#client.write(chunk)
    this.#drip = this.#drip.then(async () => {
      for (const byte of chunk) {
        await nextTurn()
        if (this.#client.destroyed) return
        this.#client.write(Buffer.of(byte))
      }
    })
  }
}
