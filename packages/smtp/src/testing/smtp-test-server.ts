import { TestServer, type TestServerUrlParts, type TestSession } from '@netc/transport/testing'
import { SmtpFakeSession } from './smtp-fake-session.ts'
import type { CapturedMessage, SmtpTestServerOptions } from './smtp-test-server-options.ts'

/**
 * SmtpTestServer: an in-process SMTP (or LMTP) server on 127.0.0.1, port 0, for tests: it captures each
 * transaction's envelope and message, speaks PIPELINING, CHUNKING (BDAT), 8BITMIME, SMTPUTF8, DSN,
 * STARTTLS and implicit TLS with a throwaway certificate (give `server.ca` to clients), AUTH PLAIN and
 * LOGIN, and refuses or breaks things on request. Python's smtplib and curl work against it.
 *
 * ```ts
 * await using server = await SmtpTestServer.start({ auth: { users: { dave: 'secret' } } })
 * await using smtp = await SmtpClient.connect(server.url('smtp', { user: 'dave', pass: 'secret' }), { tls: { ca: server.ca } })
 * await smtp.send({ from: 'a@example.com', to: ['b@example.com'] }, 'Subject: hi\r\n\r\nhello\r\n')
 * server.messages[0]   // { envelope: { from: 'a@example.com', to: ['b@example.com'], ... }, message: <Buffer ...>, transfer: 'BDAT' }
 * ```
 */
export class SmtpTestServer implements AsyncDisposable {
  /** Every transaction taken, in order. */
  readonly messages: CapturedMessage[] = []
  readonly #server: TestServer
  readonly #waiters: Array<{ count: number; resolve: () => void }> = []
  #downUntil = 0

  private constructor(server: TestServer) {
    this.#server = server
  }

  /** SmtpTestServer.start: listens on 127.0.0.1, port 0. */
  static async start(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
    const holder: { instance?: SmtpTestServer } = {}
    const capture = (message: CapturedMessage): void => holder.instance?.capture(message)
    const refusing = (): boolean => holder.instance?.refusing === true
    const server = await TestServer.start({
      tls: options.tls ?? 'none',
      encoding: 'latin1',
      maxLineLength: options.maxLineLength ?? 4 * 1024 * 1024,
      ...(options.faults === undefined ? {} : { faults: options.faults }),
      ...(options.certificates === undefined ? {} : { certificates: options.certificates }),
      onSession: (session) => new SmtpFakeSession(session, options, { capture, refusing }).run(),
    })
    holder.instance = new SmtpTestServer(server)
    return holder.instance
  }

  /** The address listened on. */
  get host(): string {
    return this.#server.host
  }
  /** The port the kernel picked. */
  get port(): number {
    return this.#server.port
  }
  /** The CA certificate (PEM) to give clients as `ca`. */
  get ca(): string {
    return this.#server.ca
  }
  /** The sessions so far, each with its transcript (`received`, `sent`, `transcript`). */
  get sessions(): readonly TestSession[] {
    return this.#server.sessions
  }
  /** Errors thrown by sessions (none in a healthy test). */
  get errors(): readonly Error[] {
    return this.#server.errors
  }

  /** url: `smtp://127.0.0.1:PORT` (or `smtps://`), with user and password percent-encoded. */
  url(scheme: 'smtp' | 'smtps' = this.#server.tls === 'implicit' ? 'smtps' : 'smtp', parts: TestServerUrlParts = {}): string {
    return this.#server.url(scheme, parts)
  }

  /** waitForMessages: resolves once `count` messages have been taken. */
  waitForMessages(count: number): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push({ count, resolve }))
  }

  /** True while a `restart` is under way: each new connection is dropped before the greeting. */
  get refusing(): boolean {
    return Date.now() < this.#downUntil
  }

  /**
   * restart: as a mail server restarting: drops every open session now, hangs up on each new connection
   * before its greeting for `downFor` milliseconds (default 1,000), then serves again. Resolves when it
   * is back up. Messages already taken stay in `messages`.
   */
  async restart(options: { downFor?: number } = {}): Promise<void> {
    const downFor = options.downFor ?? 1000
    this.#downUntil = Date.now() + downFor
    for (const session of this.sessions) session.destroy()
    await new Promise((resolve) => setTimeout(resolve, downFor))
  }

  /** close: stops listening and drops every session. */
  close(): Promise<void> {
    return this.#server.close()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  /** Internal: records a transaction taken by a session. */
  private capture(message: CapturedMessage): void {
    this.messages.push(message)
    for (const waiter of [...this.#waiters]) {
      if (this.messages.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
}
