import { createTestCertificates, TestServer, type TestCertificates, type TestServerUrlParts, type TestSession } from '@netc/transport/testing'
import { FakePop3Session } from './fake-pop3-session.ts'
import type { Maildrop, Pop3TestMessage } from './maildrop.ts'
import { resolveTestServerOptions, type Pop3TestServerOptions, type ResolvedPop3TestServerOptions } from './pop3-test-server-options.ts'

let nextTimestamp = 1
let sharedCertificates: Promise<TestCertificates> | undefined

/** One throwaway certificate for every server of the process (making one costs a key generation). */
async function defaultCertificates(): Promise<TestCertificates | undefined> {
  sharedCertificates ??= createTestCertificates()
  // Without `selfsigned` there is none: TestServer then fails only `ca` and TLS, not plaintext tests.
  return sharedCertificates.catch(() => undefined)
}

/**
 * Pop3TestServer: an in-process POP3 server on 127.0.0.1, port 0, for tests (yours and netc's): real
 * maildrops in memory (deletions commit at QUIT, a lock per maildrop answers `-ERR [IN-USE]`), CAPA with
 * PIPELINING, STLS and POP3S with a throwaway certificate, USER/PASS, APOP, AUTH PLAIN/LOGIN/CRAM-MD5,
 * TOP, UIDL, byte-stuffing, and fault knobs. Python's poplib and curl talk to it.
 *
 * ```ts
 * await using server = await Pop3TestServer.start({ mailbox: { user: 'dave', pass: 'secret', messages: ['Subject: hi\r\n\r\nhello\r\n'] } })
 * await using pop = await Pop3Client.connect(server.url('pop3', { user: 'dave', pass: 'secret' }), { tls: { ca: server.ca } })
 * ```
 */
export class Pop3TestServer implements AsyncDisposable {
  /** The TestServer underneath (sessions with their transcripts, errors). */
  readonly server: TestServer
  readonly #options: ResolvedPop3TestServerOptions

  private constructor(server: TestServer, options: ResolvedPop3TestServerOptions) {
    this.server = server
    this.#options = options
  }

  /** Pop3TestServer.start: listens on 127.0.0.1, port 0. */
  static async start(options: Pop3TestServerOptions = {}): Promise<Pop3TestServer> {
    const resolved = resolveTestServerOptions(options)
    const server = await TestServer.start({
      tls: options.tls ?? 'none',
      faults: options.faults,
      certificates: options.certificates ?? (await defaultCertificates()),
      onSession: (session) => new FakePop3Session(session, resolved, `<${process.pid}.${nextTimestamp++}@netc.test>`).run(),
    })
    return new Pop3TestServer(server, resolved)
  }

  get host(): string {
    return this.server.host
  }

  get port(): number {
    return this.server.port
  }

  /** The CA certificate (PEM) to trust: `tls: { ca: server.ca }`, or a file for curl and Python. */
  get ca(): string {
    return this.server.ca
  }

  /** Every session so far, with what was sent and received (`session.received`, `session.transcript`). */
  get sessions(): readonly TestSession[] {
    return this.server.sessions
  }

  /** Errors thrown by session handlers (a test should expect none). */
  get errors(): readonly Error[] {
    return this.server.errors
  }

  /** url: `server.url('pop3s', { user, pass })` → `pop3s://user:pass@127.0.0.1:PORT`. */
  url(scheme: 'pop3' | 'pop3s', parts: TestServerUrlParts = {}): string {
    return this.server.url(scheme, parts)
  }

  /** messages: `user`'s maildrop as committed now (after every QUIT so far). */
  messages(user: string): readonly Pop3TestMessage[] {
    return this.#maildrop(user).messages
  }

  /** deliver: adds a message to `user`'s maildrop, seen from the next login on. Returns it (with its uid). */
  deliver(user: string, message: Buffer | string, uid?: string): Pop3TestMessage {
    return this.#maildrop(user).add(message, uid)
  }

  close(): Promise<void> {
    return this.server.close()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  #maildrop(user: string): Maildrop {
    const drop = this.#options.maildrops.get(user)
    if (drop === undefined) throw new Error(`Pop3TestServer: no mailbox for ${user}`)
    return drop
  }
}
