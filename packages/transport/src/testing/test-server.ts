import { createServer, type Server, type Socket } from 'node:net'
import { ClosedError } from '../errors/index.ts'
import { createTestCertificates, type TestCertificates } from './test-certificates.ts'
import { TestSession, type TestSessionOptions } from './test-session.ts'

/** How a TestServer speaks TLS: not at all until a session calls `upgradeTls()`, or from the first byte. */
export type TestServerTls = 'none' | 'implicit'

/** Options of `TestServer.start`. */
export interface TestServerOptions extends Omit<TestSessionOptions, 'certificates'> {
  /**
   * Called once per connection (after the handshake, with implicit TLS). When it returns the session is
   * closed; when it throws, the error goes to `server.errors` and the session is destroyed. Without it,
   * sessions stay open for the test to drive through `nextSession()`.
   */
  onSession?: (session: TestSession) => Promise<void> | void
  /** `'implicit'`: TLS from the first byte (smtps, pop3s, nntps, implicit ftps). Default `'none'`. */
  tls?: TestServerTls
  /** The certificate to serve. Default `createTestCertificates()` (needs `selfsigned`). */
  certificates?: TestCertificates
  /** The loopback address to listen on. Default `'127.0.0.1'`. */
  host?: '127.0.0.1' | '::1'
}

/** The parts of `server.url(...)` beyond scheme, host and port; user and password are percent-encoded. */
export interface TestServerUrlParts {
  user?: string
  pass?: string
  path?: string
}

/**
 * TestServer: a real TCP (or TLS) server on 127.0.0.1, port 0, on which each protocol package builds its
 * fake server. Foreign clients (curl, Python's smtplib) talk to it as to any server.
 *
 * ```ts
 * await using server = await TestServer.start({
 *   tls: 'implicit',
 *   async onSession(session) {
 *     await session.writeLine('+OK fake POP3')
 *     for (let line = await session.readLine(); line !== undefined; line = await session.readLine()) {
 *       if (line === 'QUIT') return session.writeLine('+OK bye')
 *       await session.writeLine('-ERR unknown command')
 *     }
 *   },
 * })
 * tls.connect({ host: server.host, port: server.port, ca: server.ca })
 * ```
 */
export class TestServer implements AsyncDisposable {
  /** The address listened on. */
  readonly host: '127.0.0.1' | '::1'
  /** The port the kernel picked. */
  readonly port: number
  /** How the server speaks TLS. */
  readonly tls: TestServerTls
  /** Every session so far, in accept order (including ones whose TLS handshake failed). */
  readonly sessions: TestSession[] = []
  /** The errors thrown by `onSession` handlers; they never reach the process. */
  readonly errors: Error[] = []

  readonly #server: Server
  readonly #options: TestServerOptions
  readonly #certificates: Promise<TestCertificates>
  #loadedCertificates: TestCertificates | undefined
  #certificateError: unknown
  readonly #tasks = new Set<Promise<void>>()
  readonly #ready: TestSession[] = []
  readonly #waiters: Array<{ resolve: (session: TestSession) => void; reject: (error: Error) => void }> = []
  #closing: Promise<void> | undefined

  private constructor(server: Server, options: TestServerOptions, certificates: Promise<TestCertificates>) {
    this.#server = server
    this.#options = options
    this.#certificates = certificates
    this.host = options.host ?? '127.0.0.1'
    this.tls = options.tls ?? 'none'
    const address = server.address()
    this.port = typeof address === 'object' && address !== null ? address.port : 0
    server.on('connection', (socket: Socket) => this.#accept(socket))
  }

  /**
   * TestServer.start: listens on `host` (127.0.0.1), port 0. With `tls: 'implicit'` (or given
   * `certificates`) the certificate is ready before it resolves; otherwise it is made in the background
   * and a missing `selfsigned` only fails `ca` and `upgradeTls()`.
   */
  static async start(options: TestServerOptions = {}): Promise<TestServer> {
    const certificates = options.certificates !== undefined ? Promise.resolve(options.certificates) : createTestCertificates()
    if (options.tls === 'implicit') await certificates
    const server = createServer({ noDelay: true })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: options.host ?? '127.0.0.1', port: 0 }, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const testServer = new TestServer(server, options, certificates)
    try {
      testServer.#loadedCertificates = await certificates
    } catch (error) {
      testServer.#certificateError = error
    }
    return testServer
  }

  /** The CA certificate (PEM) that signed the server's certificate: give it to clients as `ca`. */
  get ca(): string {
    return this.certificates.ca
  }

  /** The server's certificates; throws the reason when they could not be made (no `selfsigned`). */
  get certificates(): TestCertificates {
    if (this.#loadedCertificates === undefined) throw this.#certificateError
    return this.#loadedCertificates
  }

  /**
   * url: a URL for this server, e.g. `server.url('pop3s', { user: 'dave', pass: 'p@ss' })` →
   * `pop3s://dave:p%40ss@127.0.0.1:40123`. IPv6 hosts are bracketed.
   */
  url(scheme: string, parts: TestServerUrlParts = {}): string {
    const user = parts.user === undefined ? '' : encodeURIComponent(parts.user)
    const pass = parts.pass === undefined ? '' : `:${encodeURIComponent(parts.pass)}`
    const userinfo = user === '' && pass === '' ? '' : `${user}${pass}@`
    const host = this.host.includes(':') ? `[${this.host}]` : this.host
    return `${scheme}://${userinfo}${host}:${this.port}${parts.path ?? ''}`
  }

  /**
   * nextSession: the next session that reached its handler (after implicit TLS), each one once, in
   * order; for tests that drive the server side inline. Rejects with ClosedError when the server closes.
   */
  nextSession(): Promise<TestSession> {
    const ready = this.#ready.shift()
    if (ready !== undefined) return Promise.resolve(ready)
    if (this.#closing !== undefined) return Promise.reject(new ClosedError('TestServer is closed'))
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }))
  }

  /**
   * close: stops listening, destroys the open sessions and waits for their handlers to return.
   * Idempotent. A handler that waits on something other than its session can hold it up.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  /** `await using server = await TestServer.start(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  async #close(): Promise<void> {
    const listenerClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()))
    for (const session of this.sessions) session.destroy()
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new ClosedError('TestServer is closed'))
    await Promise.all([...this.#tasks])
    await Promise.all(this.sessions.map((session) => session.closed))
    await listenerClosed
  }

  #accept(socket: Socket): void {
    const session = new TestSession(
      socket,
      this.sessions.length + 1,
      { ...this.#options, certificates: () => this.#certificates },
      this.tls === 'none',
    )
    this.sessions.push(session)
    if (this.#closing !== undefined || this.#options.faults?.acceptThenClose === true) {
      session.destroy()
      return
    }
    const task = this.#run(session)
    this.#tasks.add(task)
    void task.then(() => this.#tasks.delete(task))
  }

  /** Runs one session; never rejects. */
  async #run(session: TestSession): Promise<void> {
    if (this.tls === 'implicit') {
      try {
        await session.upgradeTls()
      } catch {
        return // recorded as session.error; a client refusing the certificate is no server error
      }
    }
    const waiter = this.#waiters.shift()
    if (waiter !== undefined) waiter.resolve(session)
    else this.#ready.push(session)
    const onSession = this.#options.onSession
    if (onSession === undefined) return
    try {
      await onSession(session)
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(`onSession threw ${String(thrown)}`, { cause: thrown })
      this.errors.push(error)
      session.destroy(error)
      return
    }
    await session.close()
  }
}
