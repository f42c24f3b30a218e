import type { TestSession } from '@netc/transport/testing'
import { fakeAuth } from './fake-auth.ts'
import { hasBareLineEnding, readFakeChunk, readFakeData } from './read-fake-data.ts'
import type { CapturedEnvelope, CapturedMessage, FakeReply, SmtpTestServerOptions } from './smtp-test-server-options.ts'

/** What a session needs of its server: where to put what it takes, and whether the server is down (restarting). */
export interface SmtpFakeServerHooks {
  capture: (message: CapturedMessage) => void
  refusing: () => boolean
}

/** postfix's default message_size_limit. */
const DEFAULT_SIZE = 10_240_000
const ADDRESS = /^(FROM|TO):\s*<([^<>]*)>\s*(.*)$/i

/**
 * SmtpFakeSession: the server side of one SMTP/LMTP session of `SmtpTestServer`: reads commands line by
 * line (so PIPELINING works as in any real server: replies in order), DATA with dot-unstuffing, BDAT
 * chunks, STARTTLS, AUTH, and captures each transaction.
 */
export class SmtpFakeSession {
  readonly #session: TestSession
  readonly #options: SmtpTestServerOptions
  readonly #capture: (message: CapturedMessage) => void
  readonly #refusing: () => boolean
  readonly #verbCounts = new Map<string, number>()
  #messageCount = 0
  #greeted = false
  #user: string | undefined
  #envelope: CapturedEnvelope | undefined
  #chunks: Buffer[] = []
  #failedChunk = false

  constructor(session: TestSession, options: SmtpTestServerOptions, hooks: SmtpFakeServerHooks) {
    this.#session = session
    this.#options = options
    this.#capture = hooks.capture
    this.#refusing = hooks.refusing
    session.encoding = 'latin1'
  }

  /** run: the greeting, then commands until QUIT or EOF (or, while the server restarts, a hang-up at once). */
  async run(): Promise<void> {
    if (this.#refusing()) return this.#session.destroy()
    await this.#reply(`220 ${this.#domain} ESMTP netc fake`)
    for (let line = await this.#nextCommand(); line !== undefined; line = await this.#nextCommand()) {
      const command = Buffer.from(line, 'latin1').toString('utf8')
      const verb = (command.split(' ')[0] ?? '').toUpperCase()
      const nth = (this.#verbCounts.get(verb) ?? 0) + 1
      this.#verbCounts.set(verb, nth)
      const hangUp = this.#options.faults?.hangUpOn?.(command, { session: this.#session.id, nth })
      if (hangUp !== undefined) {
        await this.#reply(hangUp)
        return
      }
      if (!(await this.#dispatch(command))) return
    }
  }

  /** The next command line; with `faults.idleTimeout`, a session kept waiting too long says 421 and hangs up. */
  async #nextCommand(): Promise<string | undefined> {
    const limit = this.#options.faults?.idleTimeout
    if (limit === undefined) return this.#session.readLine()
    const timer = setTimeout(() => {
      this.#reply(`421 ${this.#code('4.4.2')}${this.#domain} Error: timeout exceeded`).then(
        () => this.#session.destroy(),
        () => this.#session.destroy(),
      )
    }, limit)
    try {
      return await this.#session.readLine()
    } finally {
      clearTimeout(timer)
    }
  }

  get #sizeLimit(): number {
    const size = this.#options.size
    return size === false ? 0 : (size ?? DEFAULT_SIZE)
  }

  get #domain(): string {
    return this.#options.domain ?? 'fake.test'
  }

  get #code(): (status: string) => string {
    return (status) => (this.#options.enhancedStatusCodes === false ? '' : `${status} `)
  }

  async #dispatch(command: string): Promise<boolean> {
    const [verb = '', ...args] = command.split(' ')
    const rest = command.slice(verb.length + 1)
    switch (verb.toUpperCase()) {
      case 'EHLO':
      case 'LHLO':
        return this.#ehlo(verb.toUpperCase() === 'LHLO')
      case 'HELO':
        this.#greeted = true
        this.#envelope = undefined
        return this.#reply(`250 ${this.#domain}`)
      case 'STARTTLS':
        return this.#startTls()
      case 'AUTH':
        return this.#auth(args)
      case 'MAIL':
        return this.#mail(rest)
      case 'RCPT':
        return this.#rcpt(rest)
      case 'DATA':
        return this.#data()
      case 'BDAT':
        return this.#bdat(args)
      case 'RSET':
        this.#envelope = undefined
        this.#chunks = []
        return this.#reply(`250 ${this.#code('2.0.0')}Ok`)
      case 'NOOP':
        return this.#reply(`250 ${this.#code('2.0.0')}Ok`)
      case 'VRFY':
        return this.#reply(`252 ${this.#code('2.0.0')}Cannot VRFY user, but will accept message`)
      case 'QUIT':
        await this.#reply(`221 ${this.#code('2.0.0')}Bye`)
        return false
      default:
        return this.#reply(`502 ${this.#code('5.5.2')}Error: command not recognized`)
    }
  }

  #extensions(): string[] {
    const o = this.#options
    const secure = this.#session.encrypted
    const lines: string[] = []
    if (o.pipelining !== false) lines.push('PIPELINING')
    if (o.size !== false) lines.push(`SIZE ${o.size ?? DEFAULT_SIZE}`)
    if (o.starttls ?? o.tls !== 'implicit') if (!secure) lines.push('STARTTLS')
    const auth = o.auth
    if (auth !== undefined && this.#user === undefined && (secure || auth.requireTls !== true)) lines.push(`AUTH ${(auth.mechanisms ?? ['PLAIN', 'LOGIN']).join(' ')}`)
    if (o.enhancedStatusCodes !== false) lines.push('ENHANCEDSTATUSCODES')
    if (o.eightBitMime !== false) lines.push('8BITMIME')
    if (o.dsn !== false) lines.push('DSN')
    if (o.smtpUtf8 !== false) lines.push('SMTPUTF8')
    if (o.chunking !== false) lines.push('CHUNKING')
    return lines
  }

  async #ehlo(lmtp: boolean): Promise<boolean> {
    if (this.#options.reject?.ehlo === true || lmtp !== (this.#options.lmtp === true)) {
      return this.#reply(`502 ${this.#code('5.5.2')}Error: command not recognized`)
    }
    this.#greeted = true
    this.#envelope = undefined
    const lines = [`${this.#domain} hello`, ...this.#extensions()]
    return this.#reply(lines.map((line, i) => `250${i === lines.length - 1 ? ' ' : '-'}${line}`).join('\r\n'))
  }

  async #startTls(): Promise<boolean> {
    const offered = (this.#options.starttls ?? this.#options.tls !== 'implicit') && !this.#session.encrypted
    if (!offered) return this.#reply(`502 ${this.#code('5.5.1')}Error: command not implemented`)
    const refusal = this.#options.reject?.startTls
    if (refusal !== undefined) return this.#reply(refusal)
    await this.#reply(`220 ${this.#code('2.0.0')}Ready to start TLS`)
    const injected = this.#options.faults?.injectAfterStartTls
    if (injected !== undefined) await this.#session.write(injected)
    await this.#session.upgradeTls()
    // RFC 3207 section 4.2: forget everything learnt before TLS; plaintext that came early is dropped.
    this.#greeted = false
    this.#user = undefined
    this.#envelope = undefined
    return true
  }

  async #auth(args: string[]): Promise<boolean> {
    const auth = this.#options.auth
    if (auth === undefined || (auth.requireTls === true && !this.#session.encrypted)) {
      return this.#reply(`502 ${this.#code('5.5.1')}Error: authentication not enabled`)
    }
    if (this.#user !== undefined) return this.#reply(`503 ${this.#code('5.5.1')}Error: already authenticated`)
    this.#user = await fakeAuth(this.#session, args, auth.users, auth.mechanisms ?? ['PLAIN', 'LOGIN'])
    return true
  }

  async #mail(rest: string): Promise<boolean> {
    const match = ADDRESS.exec(rest)
    if (!this.#greeted) return this.#reply(`503 ${this.#code('5.5.1')}Error: send HELO/EHLO first`)
    if (this.#options.auth?.required === true && this.#user === undefined) return this.#reply(`530 ${this.#code('5.7.0')}Authentication required`)
    if (this.#envelope !== undefined) return this.#reply(`503 ${this.#code('5.5.1')}Error: nested MAIL command`)
    if (match?.[1]?.toUpperCase() !== 'FROM') return this.#reply(`501 ${this.#code('5.5.4')}Syntax: MAIL FROM:<address>`)
    const from = match[2] ?? ''
    const parameters = (match[3] ?? '').split(' ').filter((word) => word !== '')
    const declared = parameters.find((word) => /^SIZE=\d+$/i.test(word))
    const limit = this.#sizeLimit
    if (limit > 0 && declared !== undefined && Number(declared.slice(5)) > limit) {
      return this.#reply(`552 ${this.#code('5.3.4')}Message size exceeds fixed limit`)
    }
    const refusal = this.#options.reject?.mail?.(from)
    if (refusal !== undefined) return this.#reply(refusal)
    this.#envelope = { from, to: [], mailParameters: parameters, rcptParameters: [] }
    this.#chunks = []
    this.#failedChunk = false
    return this.#reply(`250 ${this.#code('2.1.0')}Ok`)
  }

  async #rcpt(rest: string): Promise<boolean> {
    const match = ADDRESS.exec(rest)
    if (this.#envelope === undefined) return this.#reply(`503 ${this.#code('5.5.1')}Error: need MAIL command`)
    if (match?.[1]?.toUpperCase() !== 'TO' || match[2] === '') return this.#reply(`501 ${this.#code('5.5.4')}Syntax: RCPT TO:<address>`)
    const address = match[2] ?? ''
    const refusal = this.#options.reject?.recipients?.(address)
    if (refusal !== undefined) return this.#reply(refusal)
    this.#envelope.to.push(address)
    this.#envelope.rcptParameters.push((match[3] ?? '').split(' ').filter((word) => word !== ''))
    return this.#reply(`250 ${this.#code('2.1.5')}Ok`)
  }

  async #data(): Promise<boolean> {
    if (this.#envelope === undefined || this.#envelope.to.length === 0) return this.#reply(`554 ${this.#code('5.5.1')}Error: no valid recipients`)
    await this.#reply('354 End data with <CR><LF>.<CR><LF>')
    const data = await readFakeData(this.#session)
    if (data === undefined) return false
    return this.#finish(data.message, 'DATA', data.bareLineEnding)
  }

  async #bdat(args: string[]): Promise<boolean> {
    const size = Number(args[0])
    const last = args[1]?.toUpperCase() === 'LAST'
    if (!/^\d+$/.test(args[0] ?? '') || (args[1] !== undefined && !last)) return this.#reply(`501 ${this.#code('5.5.4')}Syntax: BDAT size [LAST]`)
    const chunk = await readFakeChunk(this.#session, size)
    if (chunk === undefined) return false
    if (this.#envelope === undefined || this.#envelope.to.length === 0 || this.#failedChunk) {
      this.#failedChunk = true
      return this.#reply(`503 ${this.#code('5.5.1')}Error: no valid recipients`)
    }
    this.#chunks.push(chunk)
    if (!last) return this.#reply(`250 ${this.#code('2.0.0')}${size} bytes received`)
    const message = Buffer.concat(this.#chunks)
    const binary = this.#envelope.mailParameters.some((word) => word.toUpperCase() === 'BODY=BINARYMIME')
    return this.#finish(message, 'BDAT', !binary && hasBareLineEnding(message))
  }

  async #finish(message: Buffer, transfer: 'DATA' | 'BDAT', bareLineEnding: boolean): Promise<boolean> {
    const envelope = this.#envelope as CapturedEnvelope
    this.#envelope = undefined
    this.#chunks = []
    const drop = this.#options.faults?.dropOnMessage?.(envelope, { session: this.#session.id, nth: ++this.#messageCount })
    if (drop === 'before-reply') this.#capture(this.#captured(envelope, message, transfer))
    if (drop === 'before-reply' || drop === 'unqueued') {
      this.#session.destroy()
      return false
    }
    const limit = this.#sizeLimit
    let refusal: FakeReply
    if (bareLineEnding && this.#options.strictLineEndings !== false) refusal = `550 ${this.#code('5.5.2')}Error: bare <CR> or <LF> received`
    else if (limit > 0 && message.length > limit) refusal = `552 ${this.#code('5.3.4')}Message size exceeds fixed limit`
    else refusal = this.#options.reject?.data?.(message, envelope)
    if (this.#options.lmtp === true) return this.#finishLmtp(message, transfer, envelope, refusal)
    if (refusal !== undefined) return this.#reply(refusal)
    this.#capture(this.#captured(envelope, message, transfer))
    await this.#reply(`250 ${this.#code('2.0.0')}Ok: queued as FAKE${this.#session.id}`)
    return drop !== 'after-reply'
  }

  #captured(envelope: CapturedEnvelope, message: Buffer, transfer: 'DATA' | 'BDAT'): CapturedMessage {
    return { envelope, message, transfer, session: this.#session.id, secure: this.#session.encrypted, user: this.#user }
  }

  async #finishLmtp(message: Buffer, transfer: 'DATA' | 'BDAT', envelope: CapturedEnvelope, refusal: FakeReply): Promise<boolean> {
    const delivered: string[] = []
    const replies = envelope.to.map((recipient) => {
      const reply = refusal ?? this.#options.reject?.lmtp?.(recipient, message)
      if (reply === undefined) delivered.push(recipient)
      return reply ?? `250 ${this.#code('2.0.0')}<${recipient}> delivered`
    })
    if (delivered.length > 0) {
      this.#capture({ envelope: { ...envelope, to: delivered }, message, transfer, session: this.#session.id, secure: this.#session.encrypted, user: this.#user })
    }
    return this.#reply(replies.join('\r\n'))
  }

  async #reply(text: string): Promise<boolean> {
    await this.#session.write(Buffer.from(`${text}\r\n`, 'utf8'))
    return true
  }
}
