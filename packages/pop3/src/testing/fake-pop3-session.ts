import { createHash, createHmac } from 'node:crypto'
import type { TestSession } from '@netc/transport/testing'
import { encodeMultiLine, topOf, wireMessage } from './encode-message.ts'
import type { Maildrop, Pop3TestMessage } from './maildrop.ts'
import type { ResolvedPop3TestServerOptions } from './pop3-test-server-options.ts'

type Handler = (args: string[]) => Promise<void>

/**
 * FakePop3Session: the server side of one POP3 session of Pop3TestServer (RFC 1939, 2449, 2595, 5034):
 * AUTHORIZATION (CAPA, STLS, USER/PASS, APOP, AUTH), TRANSACTION (STAT, LIST, UIDL, RETR, TOP, DELE,
 * RSET, NOOP), UPDATE at QUIT. One line in, one answer out, so pipelined commands just work.
 */
export class FakePop3Session {
  readonly #session: TestSession
  readonly #options: ResolvedPop3TestServerOptions
  readonly #timestamp: string
  #user: string | undefined
  #maildrop: Maildrop | undefined
  #messages: readonly Pop3TestMessage[] = []
  readonly #deleted = new Set<Pop3TestMessage>()
  #quit = false

  constructor(session: TestSession, options: ResolvedPop3TestServerOptions, timestamp: string) {
    this.#session = session
    this.#options = options
    this.#timestamp = timestamp
  }

  /** run: greets and answers commands until QUIT or EOF; always gives the maildrop lock back. */
  async run(): Promise<void> {
    try {
      const apop = this.#options.apop ? ` ${this.#timestamp}` : ''
      await this.#session.writeLine(this.#options.greeting ?? `+OK netc POP3 test server ready${apop}`)
      while (!this.#quit) {
        const line = await this.#session.readLine()
        if (line === undefined) return
        await this.#dispatch(line)
      }
    } finally {
      this.#maildrop?.unlock()
    }
  }

  async #dispatch(line: string): Promise<void> {
    const [word = '', ...args] = line.split(' ')
    const verb = word.toUpperCase()
    const override = this.#options.replies[verb]
    if (override !== undefined) return this.#session.writeLine(override)
    const handler = (this.#maildrop === undefined ? this.#authorization() : this.#transaction())[verb]
    if (handler === undefined) return this.#session.writeLine(`-ERR unknown command or wrong state: ${verb.slice(0, 40)}`)
    return handler(args)
  }

  #authorization(): Record<string, Handler> {
    return {
      CAPA: () => this.#capa(),
      QUIT: () => this.#quitNow('+OK bye'),
      NOOP: () => this.#session.writeLine('-ERR not logged in'),
      STLS: () => this.#stls(),
      UTF8: () => this.#session.writeLine(this.#options.utf8 ? '+OK UTF8 enabled' : '-ERR no UTF8'),
      USER: (args) => this.#userCommand(args),
      PASS: (args) => this.#pass(args.join(' ')),
      APOP: (args) => this.#apop(args),
      AUTH: (args) => this.#auth(args),
    }
  }

  #transaction(): Record<string, Handler> {
    return {
      CAPA: () => this.#capa(),
      QUIT: () => this.#update(),
      NOOP: () => this.#session.writeLine('+OK'),
      STAT: () => this.#stat(),
      LIST: (args) => this.#list(args),
      UIDL: (args) => this.#uidl(args),
      RETR: (args) => this.#retr(args),
      TOP: (args) => this.#top(args),
      DELE: (args) => this.#dele(args),
      RSET: () => this.#rset(),
    }
  }

  #capabilities(): string[] {
    const o = this.#options
    const before = this.#maildrop === undefined
    const lines = ['CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE']
    if (o.pipelining) lines.push('PIPELINING')
    if (before && o.starttls && !this.#session.encrypted) lines.push('STLS')
    if (before && o.userPass) lines.push('USER')
    if (before && o.sasl.length > 0) lines.push(`SASL ${o.sasl.join(' ')}`)
    if (o.utf8) lines.push('UTF8')
    lines.push('IMPLEMENTATION netc-pop3-test-server', ...o.extraCapabilities)
    return lines
  }

  async #capa(): Promise<void> {
    if (!this.#options.capa) return this.#session.writeLine('-ERR unknown command CAPA')
    await this.#session.write(Buffer.concat([Buffer.from('+OK capability list follows\r\n'), encodeMultiLine(Buffer.from(`${this.#capabilities().join('\r\n')}\r\n`))]))
  }

  async #stls(): Promise<void> {
    if (!this.#options.starttls || this.#session.encrypted) return this.#session.writeLine('-ERR STLS not available')
    await this.#session.write(Buffer.concat([Buffer.from('+OK begin TLS negotiation\r\n'), this.#options.injectAfterStls]))
    await this.#session.upgradeTls()
  }

  async #userCommand(args: string[]): Promise<void> {
    if (!this.#options.userPass) return this.#session.writeLine('-ERR USER not available')
    if (this.#refusePlaintext()) return this.#session.writeLine('-ERR [AUTH] plaintext authentication disallowed without TLS')
    this.#user = args.join(' ')
    await this.#session.writeLine('+OK send PASS')
  }

  async #pass(pass: string): Promise<void> {
    const user = this.#user
    this.#user = undefined
    if (user === undefined) return this.#session.writeLine('-ERR USER first')
    await this.#loginAs(user, (drop) => drop.pass === pass)
  }

  async #apop(args: string[]): Promise<void> {
    const [user = '', digest = ''] = args
    if (!this.#options.apop) return this.#session.writeLine('-ERR APOP not available')
    await this.#loginAs(user, (drop) => createHash('md5').update(this.#timestamp + drop.pass).digest('hex') === digest.toLowerCase())
  }

  async #auth(args: string[]): Promise<void> {
    const [name = '', initial] = args
    const mechanism = name.toUpperCase()
    if (name === '') return this.#session.write(Buffer.concat([Buffer.from('+OK\r\n'), encodeMultiLine(Buffer.from(this.#options.sasl.map((m) => `${m}\r\n`).join('')))]))
    if (!this.#options.sasl.includes(mechanism)) return this.#session.writeLine(`-ERR unsupported mechanism ${mechanism.slice(0, 40)}`)
    const credentials = await this.#saslExchange(mechanism, initial)
    if (credentials === undefined) return
    await this.#loginAs(credentials.user, credentials.check)
  }

  /** The SASL dialogue (RFC 5034 section 4); undefined when the client cancelled or the session ended. */
  async #saslExchange(mechanism: string, initial: string | undefined): Promise<{ user: string; check: (drop: Maildrop) => boolean } | undefined> {
    const ask = async (challenge: string): Promise<string | undefined> => {
      await this.#session.writeLine(`+ ${Buffer.from(challenge).toString('base64')}`)
      const line = await this.#session.readLine()
      if (line === '*') await this.#session.writeLine('-ERR authentication cancelled')
      return line === '*' ? undefined : line
    }
    const decode = (text: string): string => Buffer.from(text === '=' ? '' : text, 'base64').toString('utf8')
    if (mechanism === 'PLAIN') {
      const response = initial ?? (await ask(''))
      if (response === undefined) return undefined
      const [, user = '', pass = ''] = decode(response).split('\0')
      return { user, check: (drop) => drop.pass === pass }
    }
    if (mechanism === 'LOGIN') {
      const user = initial === undefined ? await ask('Username:') : initial
      const pass = user === undefined ? undefined : await ask('Password:')
      if (user === undefined || pass === undefined) return undefined
      return { user: decode(user), check: (drop) => drop.pass === decode(pass) }
    }
    const response = await ask(this.#timestamp) // CRAM-MD5 (RFC 2195)
    if (response === undefined) return undefined
    const [user = '', digest = ''] = decode(response).split(' ')
    return { user, check: (drop) => createHmac('md5', drop.pass).update(this.#timestamp).digest('hex') === digest }
  }

  async #loginAs(user: string, check: (drop: Maildrop) => boolean): Promise<void> {
    const drop = this.#options.maildrops.get(user)
    if (drop === undefined || !check(drop)) return this.#session.writeLine('-ERR [AUTH] invalid user name or password')
    if (!drop.lock()) return this.#session.writeLine('-ERR [IN-USE] maildrop already locked')
    this.#maildrop = drop
    this.#messages = [...drop.messages]
    await this.#session.writeLine(`+OK ${user}'s maildrop has ${this.#messages.length} messages`)
  }

  #refusePlaintext(): boolean {
    return this.#options.requireTlsForAuth && !this.#session.encrypted
  }

  #live(): Array<{ number: number; message: Pop3TestMessage }> {
    return this.#messages.map((message, index) => ({ number: index + 1, message })).filter(({ message }) => !this.#deleted.has(message))
  }

  /** The message numbered by `arg`, or undefined after answering -ERR. */
  async #find(arg: string | undefined): Promise<Pop3TestMessage | undefined> {
    const number = /^\d{1,9}$/.test(arg ?? '') ? Number(arg) : 0
    const message = this.#messages[number - 1]
    if (message === undefined) await this.#session.writeLine(`-ERR no such message ${String(arg ?? '').slice(0, 20)}`)
    else if (this.#deleted.has(message)) await this.#session.writeLine(`-ERR message ${number} already deleted`)
    else return message
    return undefined
  }

  async #stat(): Promise<void> {
    const live = this.#live()
    const size = live.reduce((sum, { message }) => sum + wireMessage(message.body).length, 0)
    await this.#session.writeLine(`+OK ${live.length} ${size}`)
  }

  async #list(args: string[]): Promise<void> {
    if (args[0] !== undefined) {
      const message = await this.#find(args[0])
      if (message !== undefined) await this.#session.writeLine(`+OK ${args[0]} ${wireMessage(message.body).length}`)
      return
    }
    const lines = this.#live().map(({ number, message }) => `${number} ${wireMessage(message.body).length}\r\n`)
    await this.#session.write(`+OK scan listing follows\r\n${lines.join('')}.\r\n`)
  }

  async #uidl(args: string[]): Promise<void> {
    if (args[0] !== undefined) {
      const message = await this.#find(args[0])
      if (message !== undefined) await this.#session.writeLine(`+OK ${args[0]} ${message.uid}`)
      return
    }
    const lines = this.#live().map(({ number, message }) => `${number} ${message.uid}\r\n`)
    await this.#session.write(`+OK unique-id listing follows\r\n${lines.join('')}.\r\n`)
  }

  async #retr(args: string[]): Promise<void> {
    const message = await this.#find(args[0])
    if (message === undefined) return
    const wire = wireMessage(message.body)
    await this.#session.write(Buffer.concat([Buffer.from(`+OK ${wire.length} octets\r\n`), encodeMultiLine(wire)]))
  }

  async #top(args: string[]): Promise<void> {
    const lines = /^\d{1,9}$/.test(args[1] ?? '') ? Number(args[1]) : -1
    if (lines < 0) return this.#session.writeLine('-ERR TOP needs a message number and a line count')
    const message = await this.#find(args[0])
    if (message === undefined) return
    await this.#session.write(Buffer.concat([Buffer.from('+OK top of message follows\r\n'), encodeMultiLine(topOf(wireMessage(message.body), lines))]))
  }

  async #dele(args: string[]): Promise<void> {
    const message = await this.#find(args[0])
    if (message === undefined) return
    this.#deleted.add(message)
    await this.#session.writeLine(`+OK message ${args[0]} deleted`)
  }

  async #rset(): Promise<void> {
    this.#deleted.clear()
    await this.#session.writeLine(`+OK maildrop has ${this.#messages.length} messages`)
  }

  async #update(): Promise<void> {
    this.#maildrop?.commit(this.#deleted)
    await this.#quitNow(`+OK ${this.#deleted.size} messages deleted, bye`)
  }

  async #quitNow(reply: string): Promise<void> {
    this.#quit = true
    await this.#session.writeLine(reply)
  }
}
