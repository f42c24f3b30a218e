import type { Readable } from 'node:stream'
import { ClosedError, Command, Connection, InvalidArgumentError, InvalidStateError } from '@netc/transport'
import { parseDropListing, parseScanListing, parseUniqueIdListing } from './parse-listings.ts'
import type { Pop3DropListing, Pop3ScanListing, Pop3UniqueIdListing } from './parse-listings.ts'
import type { Pop3Capabilities } from './parse-capabilities.ts'
import type { Pop3Status } from './parse-status-line.ts'
import type { Pop3Auth, Pop3ClientOptions, Pop3OperationOptions } from './pop3-client-options.ts'
import { login } from './pop3-login.ts'
import { assertMessageNumber, readMultiLine, readStatus, sendCommand } from './read-status.ts'
import { withNetrcCredentials } from './netrc-credentials.ts'
import { resolveClientOptions, type ResolvedPop3Options } from './resolve-client-options.ts'
import { retrieveAll, type RetrieveAllOptions, type RetrievedMessage } from './retrieve-all.ts'
import { openBodyStream } from './retrieve-stream.ts'
import { assertSafeToLogin, negotiateTls, readCapabilities, readGreeting, type Pop3Greeting } from './open-session.ts'

/** Pop3State: where the session stands (RFC 1939 section 3); UPDATE lasts only as long as QUIT. */
export type Pop3State = 'authorization' | 'transaction' | 'closed'

/** Pop3Response: what `execute` returns: the status line and, for a multi-line command, the body. */
export interface Pop3Response {
  status: Pop3Status
  body: Buffer | undefined
}

/** Pop3ExecuteOptions: whether a dot-terminated body follows the `+OK` (e.g. a vendor LIST-like command). */
export interface Pop3ExecuteOptions extends Pop3OperationOptions {
  multiLine?: boolean
}

const RESERVED_VERBS = new Set(['STLS', 'QUIT', 'AUTH'])

/**
 * Pop3Client: one POP3 session (RFC 1939) over @netc/transport: STLS or POP3S, USER/PASS, APOP or SASL,
 * CAPA, every command, streamed and pipelined retrieval. Calls queue in order on the connection.
 *
 * ```ts
 * await using pop = await Pop3Client.connect('pop3s://dave:secret@pop.example.com')
 * const { count, size } = await pop.stat()                 // C: STAT    S: +OK 2 320
 * for await (const message of pop.retrieveAll({ delete: true })) save(message.uid, message.body)
 * ```
 * A `-ERR` is a `Pop3ReplyError` and the session goes on; any other error closes it.
 */
export class Pop3Client implements AsyncDisposable {
  /** The transport connection (for `secure`, `tlsInfo`; do not write to it). */
  readonly connection: Connection
  /** The greeting's text and APOP timestamp. */
  readonly greeting: Pop3Greeting
  #capabilities: Pop3Capabilities
  #state: Pop3State = 'authorization'
  #loginMethod: string | undefined

  private constructor(connection: Connection, greeting: Pop3Greeting, capabilities: Pop3Capabilities) {
    this.connection = connection
    this.greeting = greeting
    this.#capabilities = capabilities
  }

  /**
   * Pop3Client.connect: opens the connection (`pop3s://` implicit TLS, else STLS as `tls` says), reads the
   * greeting, asks CAPA, upgrades, and logs in when credentials are given (in the URL or `auth`).
   * On any failure the connection is closed and the error thrown.
   */
  static async connect(target: string | URL | Pop3ClientOptions, options: Pop3ClientOptions = {}): Promise<Pop3Client> {
    const resolved = await withNetrcCredentials(resolveClientOptions(target, options))
    const connection = await Connection.open({
      host: resolved.host,
      port: resolved.port,
      protocol: 'pop3',
      implicitTls: resolved.tlsMode === 'implicit',
      tls: resolved.tlsSettings,
      connect: resolved.connect,
      timeouts: resolved.timeouts,
      limits: resolved.limits,
      debug: resolved.debug,
      signal: resolved.signal,
      family: resolved.family,
      keepAlive: resolved.keepAlive ? { interval: resolved.keepAlive, command: Command.of('NOOP'), readReply: (io, command) => readStatus(io, command) } : undefined,
    })
    try {
      return await Pop3Client.#open(connection, resolved)
    } catch (error) {
      connection.destroy(error instanceof Error ? error : undefined)
      throw error
    }
  }

  static async #open(connection: Connection, resolved: ResolvedPop3Options): Promise<Pop3Client> {
    const { signal } = resolved
    const [greeting, capabilities] = await connection.run(async (io) => {
      const hello = await readGreeting(io)
      const offered = await readCapabilities(io)
      return [hello, await negotiateTls(io, connection, resolved.tlsMode, offered, resolved.tlsSettings)] as const
    }, { signal })
    const client = new Pop3Client(connection, greeting, capabilities)
    if (resolved.utf8 === true && capabilities.utf8) await client.execute('UTF8', { signal })
    if (resolved.auth !== undefined) await client.login(resolved.auth, resolved)
    return client
  }

  /** The session's state: `'authorization'` until login, `'transaction'` after, `'closed'` at the end. */
  get state(): Pop3State {
    return this.connection.closed ? 'closed' : this.#state
  }

  /** The server's capabilities (CAPA, RFC 2449), as of the last `capa()` (after STLS, after login when they may change). */
  get capabilities(): Pop3Capabilities {
    return this.#capabilities
  }

  /** The login method used: `'USER'`, `'APOP'` or the SASL mechanism, e.g. `'SCRAM-SHA-256'`. */
  get loginMethod(): string | undefined {
    return this.#loginMethod
  }

  /** True when the connection is encrypted (POP3S, or after STLS). */
  get secure(): boolean {
    return this.connection.secure
  }

  /**
   * login: USER/PASS, APOP or SASL AUTH (RFC 1939 section 7, RFC 5034), the strongest both sides offer
   * unless `mechanism` says. `connect` calls it when given credentials. Credentials never go in cleartext
   * to a host that is not loopback unless `allowInsecureAuth`. Afterwards CAPA is asked again when the
   * server said some values are per user.
   */
  async login(auth: Pop3Auth, options: Pick<Pop3ClientOptions, 'mechanism' | 'apop' | 'allowInsecureAuth' | 'signal'> = {}): Promise<void> {
    this.#assertState('authorization', 'login')
    assertSafeToLogin(this.connection, options.allowInsecureAuth)
    const { host, port } = this.connection
    const context = { auth, capabilities: this.#capabilities, timestamp: this.greeting.timestamp, mechanism: options.mechanism, apop: options.apop, host, port }
    this.#loginMethod = await this.connection.run((io) => login(io, context), { signal: options.signal })
    this.#state = 'transaction'
    if (this.#capabilities.expire?.perUser === true || this.#capabilities.loginDelay?.perUser === true) await this.capa(options)
  }

  /** capa: asks CAPA again (RFC 2449 section 5) and returns the fresh capabilities. */
  async capa(options: Pop3OperationOptions = {}): Promise<Pop3Capabilities> {
    this.#capabilities = await this.connection.run((io) => readCapabilities(io), { signal: options.signal })
    return this.#capabilities
  }

  /** stat: `STAT` → `+OK 2 320` → `{ count: 2, size: 320 }` (RFC 1939 section 5). Deleted messages are not counted. */
  async stat(options: Pop3OperationOptions = {}): Promise<Pop3DropListing> {
    return parseDropListing((await this.#simple(Command.of('STAT'), options)).text)
  }

  /** list: `LIST` → every message's number and size; `list(n)` → `+OK 1 1205` for one (RFC 1939 section 5). */
  list(options?: Pop3OperationOptions): Promise<Pop3ScanListing[]>
  list(number: number, options?: Pop3OperationOptions): Promise<Pop3ScanListing>
  async list(first?: number | Pop3OperationOptions, options: Pop3OperationOptions = {}): Promise<Pop3ScanListing[] | Pop3ScanListing> {
    if (typeof first === 'number') return parseScanListing((await this.#simple(this.#numbered('LIST', first), options)).text)
    return (await this.#multiLine(Command.of('LIST'), first)).map(parseScanListing)
  }

  /** uidl: `UIDL` → every message's unique id; `uidl(n)` → `+OK 1 whqtswO00WBw418f9t5JxYwZ` (RFC 1939 section 7). */
  uidl(options?: Pop3OperationOptions): Promise<Pop3UniqueIdListing[]>
  uidl(number: number, options?: Pop3OperationOptions): Promise<Pop3UniqueIdListing>
  async uidl(first?: number | Pop3OperationOptions, options: Pop3OperationOptions = {}): Promise<Pop3UniqueIdListing[] | Pop3UniqueIdListing> {
    if (typeof first === 'number') return parseUniqueIdListing((await this.#simple(this.#numbered('UIDL', first), options)).text)
    return (await this.#multiLine(Command.of('UIDL'), first)).map(parseUniqueIdListing)
  }

  /**
   * retrieve: `RETR n` (RFC 1939 section 5): the message, dot-unstuffed, as exact octets, bounded by
   * `limits.maxBufferedBodyBytes` (use `retrieveStream` for anything larger).
   */
  async retrieve(number: number, options: Pop3OperationOptions = {}): Promise<Buffer> {
    return this.#body(this.#numbered('RETR', number), options)
  }

  /** retrieveString: `retrieve(n)` decoded (`utf8` by default; `latin1` keeps every octet). */
  async retrieveString(number: number, options: Pop3OperationOptions & { encoding?: BufferEncoding } = {}): Promise<string> {
    return (await this.retrieve(number, options)).toString(options.encoding ?? 'utf8')
  }

  /**
   * retrieveStream: `RETR n` as a Readable of the exact octets, streamed in constant memory. Later calls
   * wait until the stream has ended or been destroyed; an early destroy drops the rest of the message.
   */
  async retrieveStream(number: number, options: Pop3OperationOptions = {}): Promise<Readable> {
    const command = this.#numbered('RETR', number)
    return openBodyStream(this.connection, command, options.signal)
  }

  /** top: `TOP n lines` (RFC 1939 section 7): the header, the blank line and the first `lines` lines of the body. */
  async top(number: number, lines: number, options: Pop3OperationOptions = {}): Promise<Buffer> {
    if (!Number.isSafeInteger(lines) || lines < 0) throw new InvalidArgumentError(`TOP line count must be an integer from 0, not ${String(lines)}`)
    this.#numbered('TOP', number)
    return this.#body(Command.of('TOP', number, lines), options)
  }

  /** delete: `DELE n` (RFC 1939 section 5): marks the message; it goes at `close()` (QUIT), `reset()` unmarks it. */
  async delete(number: number, options: Pop3OperationOptions = {}): Promise<void> {
    await this.#simple(this.#numbered('DELE', number), options)
  }

  /** reset: `RSET` (RFC 1939 section 5): unmarks every message marked for deletion. */
  async reset(options: Pop3OperationOptions = {}): Promise<void> {
    await this.#simple(Command.of('RSET'), options)
  }

  /** noop: `NOOP` (RFC 1939 section 5): keeps the session alive. */
  async noop(options: Pop3OperationOptions = {}): Promise<void> {
    await this.#simple(Command.of('NOOP'), options)
  }

  /**
   * retrieveAll: the whole maildrop (less the ids in `since`) as an async iterator, pipelined when the
   * server offers PIPELINING: see `RetrieveAllOptions`. Deletions commit at `close()`.
   */
  retrieveAll(options: RetrieveAllOptions = {}): AsyncGenerator<RetrievedMessage, void, undefined> {
    this.#assertState('transaction', 'retrieveAll')
    return retrieveAll(this, options)
  }

  /**
   * execute: any other command (`XTND`, `UTF8`, `LANG`...), as a `Command` or a line that is split on
   * spaces; `multiLine` reads the dot-terminated body that follows `+OK`. `-ERR` throws `Pop3ReplyError`.
   * STLS, AUTH and QUIT have their own methods and are refused here.
   */
  async execute(command: Command | string, options: Pop3ExecuteOptions = {}): Promise<Pop3Response> {
    const parsed = typeof command === 'string' ? toCommand(command) : command
    if (RESERVED_VERBS.has(parsed.verb.toUpperCase())) throw new InvalidArgumentError(`${parsed.verb} cannot go through execute(): use connect options or close()`)
    this.#assertOpen()
    return this.connection.run(async (io) => {
      const status = await sendCommand(io, parsed)
      const body = options.multiLine === true ? await io.readDotBodyBuffer() : undefined
      return { status, body }
    }, { signal: options.signal })
  }

  /**
   * close: `QUIT` (RFC 1939 section 6): the server deletes the marked messages and closes. A `-ERR` to
   * QUIT (the deletions failed) is thrown as `Pop3ReplyError` after the connection has closed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.connection.closed) return
    let refusal: Error | undefined
    try {
      await this.connection.run((io) => sendCommand(io, Command.of('QUIT')))
    } catch (error) {
      refusal = asError(error)
    } finally {
      this.#state = 'closed'
      await this.connection.close()
    }
    if (refusal !== undefined) throw refusal
  }

  /** destroy: drops the connection without QUIT: nothing marked is deleted (RFC 1939 section 6). */
  destroy(reason?: Error): void {
    this.#state = 'closed'
    this.connection.destroy(reason)
  }

  /** `await using pop = await Pop3Client.connect(...)` says QUIT at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  async #simple(command: Command, options: Pop3OperationOptions): Promise<Pop3Status> {
    this.#assertState('transaction', command.verb)
    return this.connection.run((io) => sendCommand(io, command), { signal: options.signal })
  }

  async #multiLine(command: Command, options: Pop3OperationOptions = {}): Promise<string[]> {
    this.#assertState('transaction', command.verb)
    return this.connection.run(async (io) => {
      await sendCommand(io, command)
      return readMultiLine(io)
    }, { signal: options.signal })
  }

  async #body(command: Command, options: Pop3OperationOptions): Promise<Buffer> {
    return this.connection.run(async (io) => {
      const status = await sendCommand(io, command)
      // `+OK 4059 octets` (dovecot, most servers, RFC 1939's own example): the body is allocated once at that size.
      const announced = /^(\d{1,10}) octets\b/i.exec(status.text)?.[1]
      return io.readDotBodyBuffer({ sizeHint: announced === undefined ? undefined : Number(announced) })
    }, { signal: options.signal })
  }

  #numbered(verb: string, number: number): Command {
    assertMessageNumber(number)
    this.#assertState('transaction', verb)
    return Command.of(verb, number)
  }

  #assertOpen(): void {
    if (this.state !== 'closed') return
    // Closed under the client (keep-alive timeout, server hang-up): say why, as the transport does.
    const reason = this.#state === 'closed' ? undefined : this.connection.reason
    if (reason !== undefined) throw new ClosedError('the POP3 session was closed', { cause: reason })
    throw new InvalidStateError('the POP3 session is closed')
  }

  #assertState(wanted: Pop3State, what: string): void {
    this.#assertOpen()
    if (this.#state !== wanted) throw new InvalidStateError(`${what} needs the ${wanted} state; the session is in the ${this.#state} state`)
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

function toCommand(line: string): Command {
  const [verb = '', ...args] = line.trim().split(/ +/)
  return Command.of(verb, ...args)
}
