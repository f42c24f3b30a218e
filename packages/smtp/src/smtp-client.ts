import { Command, InvalidArgumentError, InvalidStateError, type CodedReply, type Connection, type ConnectionIo, type ExecuteOptions, type TlsSettings } from '@netc/transport'
import { authenticate } from './authenticate.ts'
import { composeMail, type Mail } from './compose-mail.ts'
import type { SmtpEnvelope } from './envelope.ts'
import { establishSession } from './establish-session.ts'
import { hello } from './hello.ts'
import type { SmtpCapabilities } from './parse-capabilities.ts'
import { prepareAddress } from './prepare-address.ts'
import type { MessageSource, SendOptions, SendResult } from './send-result.ts'
import { sendTransaction, type TransactionContext } from './send-transaction.ts'
import { resolveSmtpOptions, type ResolvedSmtpOptions, type SmtpAuth, type SmtpClientOptions } from './smtp-client-options.ts'
import type { SmtpState } from './smtp-state.ts'
import { startTls } from './start-tls.ts'

type SessionState = Exclude<SmtpState, 'closed'>

const NO_OPTIONS = Object.freeze({})
const READY: readonly SessionState[] = ['ready']

/**
 * SmtpClient: one SMTP (RFC 5321) or LMTP (RFC 2033) session. `connect` opens, greets, secures (implicit
 * TLS or STARTTLS) and logs in; `send` runs a whole mail transaction; the lower-level verbs are there for
 * those who compose their own dialogues. Calls are queued in order, never refused for being concurrent.
 *
 * ```ts
 * await using smtp = await SmtpClient.connect('smtp://mail.example.com:587', { auth: { user, pass }, tls: 'required' })
 * const { accepted, rejected } = await smtp.send({ from, to: [a, b] }, message)
 * ```
 */
export class SmtpClient implements AsyncDisposable {
  readonly #connection: Connection
  readonly #options: ResolvedSmtpOptions
  readonly #greeting: CodedReply
  #capabilities: SmtpCapabilities
  #mechanism: string | undefined
  #state: SessionState = 'ready'
  #acceptedRecipients = 0
  /** What `send` tells a transaction of the session; made again when the capabilities change. */
  #context: TransactionContext | undefined

  private constructor(connection: Connection, options: ResolvedSmtpOptions, greeting: CodedReply, capabilities: SmtpCapabilities, mechanism: string | undefined) {
    this.#connection = connection
    this.#options = options
    this.#greeting = greeting
    this.#capabilities = capabilities
    this.#mechanism = mechanism
  }

  /**
   * SmtpClient.connect: `smtp://` (opportunistic STARTTLS, port 25), `smtps://` (implicit TLS, 465), or
   * options. Greets, says EHLO (HELO for old servers), upgrades with STARTTLS as `tls` asks, says EHLO
   * again, and authenticates when `auth` (or the URL's user and password) is given.
   */
  static async connect(target: string | URL | SmtpClientOptions, options: SmtpClientOptions = {}): Promise<SmtpClient> {
    const resolved = resolveSmtpOptions(target, options)
    const session = await establishSession(resolved)
    return new SmtpClient(session.connection, resolved, session.greeting, session.capabilities, session.mechanism)
  }

  /** The session's state; `closed` once QUIT was said or the connection broke. */
  get state(): SmtpState {
    return this.#connection.closed ? 'closed' : this.#state
  }
  /** The capabilities of the latest EHLO (after STARTTLS: the secure ones). */
  get capabilities(): SmtpCapabilities {
    return this.#capabilities
  }
  /** The server's 220 greeting. */
  get greeting(): CodedReply {
    return this.#greeting
  }
  /** True over TLS (implicit, or after STARTTLS). */
  get secure(): boolean {
    return this.#connection.secure
  }
  /** The SASL mechanism that logged in, or undefined. */
  get authenticated(): string | undefined {
    return this.#mechanism
  }
  /** True for an LMTP session. */
  get lmtp(): boolean {
    return this.#options.lmtp === true
  }

  /**
   * send: one whole transaction: MAIL, RCPT for each recipient, the message (BDAT with CHUNKING, DATA
   * otherwise; MAIL + RCPT + DATA in one write with PIPELINING). Resolves with every recipient's fate;
   * rejects (`SmtpRecipientsRejectedError`) only when none was accepted, and after any refusal the session
   * is reset (RSET) and stays usable.
   */
  send(envelope: SmtpEnvelope, message: MessageSource, options: SendOptions = {}): Promise<SendResult> {
    // The hottest call: straight to the connection's queue, the state checked when its turn comes.
    const signal = options.signal
    return this.#connection.run(
      (io) => (this.#state === 'ready' ? sendTransaction(io, this.#transactionContext(), envelope, message, options) : this.#refuseState(READY)),
      signal === undefined ? NO_OPTIONS : { signal },
    )
  }

  /**
   * sendMail: composes a message (`composeMail`: MIME by the mimetext library) and sends it to every To,
   * Cc and Bcc address; Bcc stays out of the message.
   */
  async sendMail(mail: Mail, options: SendOptions = {}): Promise<SendResult> {
    const { envelope, message } = await composeMail(mail)
    return this.send(envelope, message, options)
  }

  /** ehlo: EHLO (LHLO) again, e.g. after a change the server announced; ends any open transaction (RFC 5321 section 4.1.4). */
  async ehlo(name: string = this.#options.name): Promise<SmtpCapabilities> {
    this.#assertOpen()
    this.#capabilities = await hello(this.#connection, name, this.lmtp)
    this.#context = undefined
    this.#state = 'ready'
    return this.#capabilities
  }

  /** startTls: STARTTLS (RFC 3207) then EHLO again; for sessions opened with `tls: 'none'`. */
  async startTls(settings: TlsSettings = {}): Promise<SmtpCapabilities> {
    this.#assertOpen()
    if (this.secure) throw new InvalidStateError('startTls: the connection is already secure')
    await startTls(this.#connection, { ...this.#options.tlsSettings, ...settings })
    return this.ehlo()
  }

  /** authenticate: AUTH (RFC 4954) with the strongest mechanism both sides know; returns its name. */
  async authenticate(auth: SmtpAuth | undefined = this.#options.auth): Promise<string> {
    this.#assertOpen()
    if (auth === undefined) throw new InvalidArgumentError('authenticate: no credentials')
    if (this.#mechanism !== undefined) throw new InvalidStateError('authenticate: already authenticated (RFC 4954 section 4)')
    this.#mechanism = await authenticate(this.#connection, auth, {
      offered: this.#capabilities.auth,
      secure: this.secure,
      allowInsecureAuth: this.#options.allowInsecureAuth === true,
    })
    return this.#mechanism
  }

  /** mail: `MAIL FROM:<address> [parameters]` (RFC 5321 section 4.1.1.2); opens a transaction. */
  async mail(from: string, parameters: readonly string[] = []): Promise<CodedReply> {
    const address = prepareAddress(from, { smtpUtf8: this.#capabilities.smtpUtf8, role: 'from' })
    return this.#command(['ready'], Command.of('MAIL', `FROM:<${address}>`, ...parameters), 250, () => {
      this.#state = 'mail'
      this.#acceptedRecipients = 0
    })
  }

  /** rcpt: `RCPT TO:<address> [parameters]` (RFC 5321 section 4.1.1.3); a refusal throws and changes nothing. */
  async rcpt(to: string, parameters: readonly string[] = []): Promise<CodedReply> {
    const address = prepareAddress(to, { smtpUtf8: this.#capabilities.smtpUtf8, role: 'to' })
    return this.#command(['mail', 'recipients'], Command.of('RCPT', `TO:<${address}>`, ...parameters), [250, 251], () => {
      this.#state = 'recipients'
      this.#acceptedRecipients++
    })
  }

  /**
   * data: `DATA`, then the message CRLF-normalised and dot-stuffed (`.` lines doubled, so that nothing in
   * it can end the data early). Resolves with the final replies: one in SMTP (a refusal throws), one per
   * accepted recipient in LMTP (returned as they are).
   */
  data(message: MessageSource): Promise<CodedReply[]> {
    return this.#run(['recipients'], async (io) => {
      const command = Command.of('DATA')
      await io.send(command)
      io.expect(await io.readCodedReply(), 354, command)
      await io.writeDotBody(message)
      return this.#finalReplies(io, command)
    })
  }

  /**
   * bdat: one BDAT chunk (RFC 3030), sent as it is (no normalisation: the caller frames the message).
   * With `last`, resolves with the final replies as `data` does.
   */
  bdat(chunk: Uint8Array | string, options: { last?: boolean } = {}): Promise<CodedReply[]> {
    if (!this.#capabilities.chunking) return Promise.reject(new InvalidStateError('bdat: the server does not offer CHUNKING'))
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    return this.#run(['recipients', 'chunking'], async (io) => {
      const command = options.last === true ? Command.of('BDAT', bytes.length, 'LAST') : Command.of('BDAT', bytes.length)
      await io.send(command)
      if (bytes.length > 0) await io.write(bytes)
      if (options.last === true) return this.#finalReplies(io, command)
      const reply = io.expect(await io.readCodedReply(), 250, command)
      this.#state = 'chunking'
      return [reply]
    })
  }

  /** reset: RSET (RFC 5321 section 4.1.1.5): ends any transaction. */
  reset(): Promise<CodedReply> {
    return this.#command(['ready', 'mail', 'recipients', 'chunking'], Command.of('RSET'), 250, () => {
      this.#state = 'ready'
    })
  }

  /** noop: NOOP (RFC 5321 section 4.1.1.9), e.g. to keep a connection alive or check it. */
  noop(): Promise<CodedReply> {
    return this.#command(['ready', 'mail', 'recipients', 'chunking'], Command.of('NOOP'), 250)
  }

  /** verify: VRFY (RFC 5321 section 4.1.1.6); 250, 251 and 252 ("cannot verify, will try") are answers. */
  verify(address: string): Promise<CodedReply> {
    if (/[\r\n\0]/.test(address)) return Promise.reject(new InvalidArgumentError('verify: the address holds CR, LF or NUL'))
    return this.#command(['ready', 'mail', 'recipients'], Command.of('VRFY', address), [250, 251, 252])
  }

  /**
   * execute: any command, its reply checked against `expect` (default: any 2xx). For extensions netc does
   * not wrap (ETRN, XCLIENT); commands that change the session (MAIL, STARTTLS) belong to their verbs.
   */
  execute(command: Command, options: ExecuteOptions = {}): Promise<CodedReply> {
    return this.#connection.execute(command, options)
  }

  /** close: QUIT (RFC 5321 section 4.1.1.10), then closes the connection. Idempotent. */
  async close(): Promise<void> {
    if (!this.#connection.closed) {
      await this.#connection
        .run(async (io) => {
          await io.send(Command.of('QUIT'))
          await io.readCodedReply()
        })
        .catch(() => undefined)
    }
    await this.#connection.close()
  }

  /** destroy: drops the connection now; calls still queued reject with `ClosedError`. */
  destroy(reason?: Error): void {
    this.#connection.destroy(reason)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  #transactionContext(): TransactionContext {
    this.#context ??= { capabilities: this.#capabilities, lmtp: this.lmtp, destroy: (reason) => this.#connection.destroy(reason) }
    return this.#context
  }

  async #finalReplies(io: ConnectionIo, command: Command): Promise<CodedReply[]> {
    const count = this.lmtp ? this.#acceptedRecipients : 1
    const replies: CodedReply[] = []
    for (let i = 0; i < count; i++) replies.push(await io.readCodedReply())
    this.#state = 'ready'
    this.#acceptedRecipients = 0
    if (!this.lmtp) io.expect(replies[0] as CodedReply, 2, command)
    return replies
  }

  #command(states: readonly SessionState[], command: Command, expect: number | readonly number[], after?: () => void): Promise<CodedReply> {
    return this.#run(states, async (io) => {
      await io.send(command)
      const reply = io.expect(await io.readCodedReply(), expect, command)
      after?.()
      return reply
    })
  }

  #run<T>(states: readonly SessionState[], task: (io: ConnectionIo) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#connection.run((io) => (states.includes(this.#state) ? task(io) : this.#refuseState(states)), signal === undefined ? NO_OPTIONS : { signal })
  }

  #refuseState(states: readonly SessionState[]): Promise<never> {
    return Promise.reject(new InvalidStateError(`not allowed in state '${this.#state}' (allowed: ${states.join(', ')})`))
  }

  #assertOpen(): void {
    if (this.#connection.closed) throw new InvalidStateError('the session is closed')
  }
}
