import type { SecureContext } from 'node:tls'
import type { TestSession } from '@netc/transport/testing'
import type { FtpTestServerOptions } from './ftp-test-server-options.ts'
import { formatFacts, formatTimeVal } from './format-listing.ts'
import type { MemoryFileSystem } from './memory-file-system.ts'
import { closeSetup, listenPassive, type DataSetup } from './server-data-channel.ts'
import { fileCommands } from './server-file-commands.ts'
import { serveTransfer, type TransferKind } from './server-transfer.ts'

/** What a session knows about its server. */
export interface SessionContext {
  readonly options: FtpTestServerOptions
  readonly fs: MemoryFileSystem
  readonly host: string
  /** Every command line received (PASS masked), for tests. */
  readonly commands: string[]
}

/** A command's handler: gets the argument, writes the reply. */
export type Handler = (argument: string) => Promise<void>

/** FtpServerSession: the server side of one control connection of the fake FTP server (RFC 959). */
export class FtpServerSession {
  readonly session: TestSession
  readonly context: SessionContext
  user: string | undefined
  loggedIn = false
  cwd = '/'
  type: 'A' | 'I' = 'A'
  restOffset = 0
  protectData = false
  setup: DataSetup | undefined
  secureContext: SecureContext | undefined
  /** The source of a rename in progress (RNFR), until RNTO. */
  renameFrom: string | undefined
  private readonly handlers: Record<string, Handler>

  constructor(session: TestSession, context: SessionContext) {
    this.session = session
    this.context = context
    this.handlers = this.makeHandlers()
    if (session.encrypted) this.secureContext = session.secureContext
  }

  get options(): FtpTestServerOptions {
    return this.context.options
  }

  reply(line: string): Promise<void> {
    return this.session.writeLine(line)
  }

  /** run: greets, then answers commands until QUIT or EOF. */
  async run(): Promise<void> {
    await this.reply('220 netc FtpTestServer ready')
    for (let line = await this.nextLine(); line !== undefined; line = await this.nextLine()) {
      const space = line.indexOf(' ')
      const verb = (space === -1 ? line : line.slice(0, space)).toUpperCase()
      const argument = space === -1 ? '' : line.slice(space + 1)
      this.context.commands.push(verb === 'PASS' ? 'PASS ****' : line)
      const fixed = this.options.faults?.replies?.[verb]
      if (fixed !== undefined) {
        await this.reply(fixed)
        continue
      }
      if (verb === 'QUIT') return this.reply('221 Goodbye.')
      const handler = this.handlers[verb]
      if (handler === undefined) await this.reply('500 Unknown command.')
      else if (!this.loggedIn && !['USER', 'PASS', 'AUTH', 'FEAT', 'HOST', 'OPTS', 'PBSZ', 'PROT', 'NOOP', 'SYST'].includes(verb)) {
        await this.reply('530 Please login with USER and PASS.')
      } else await handler(argument)
    }
    closeSetup(this.setup)
  }

  /** The next command line; with the `closeIdleAfterMs` fault, a 421 and the end of the session after that long a silence. */
  private async nextLine(): Promise<string | undefined> {
    const idle = this.options.faults?.closeIdleAfterMs
    if (idle === undefined) return this.session.readLine()
    const line = this.session.readLine()
    let timer: NodeJS.Timeout | undefined
    const silence = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), idle)))
    const first = await Promise.race([line, silence])
    clearTimeout(timer)
    if (first !== 'idle') return first
    line.catch(() => undefined)
    await this.reply('421 Timeout.')
    await this.session.close()
    return undefined
  }

  path(argument: string): string {
    return this.context.fs.resolve(this.cwd, argument === '' ? '.' : argument)
  }

  private features(): string[] {
    const { options } = this
    const list = ['EPRT', 'EPSV', 'HOST', 'MDTM', 'PASV', 'REST STREAM', 'SIZE', 'TVFS']
    if (options.mlsd !== false) list.push('MLST type*;size*;sizd*;modify*;perm*;UNIX.mode*;', 'MLSD')
    if (options.utf8 !== false) list.push('UTF8')
    if ((options.tls ?? 'none') !== 'none') list.push('AUTH TLS', 'CCC', 'PBSZ', 'PROT')
    return list
  }

  private async login(password: string): Promise<void> {
    const { users = {}, anonymous = true, requireTls = false } = this.options
    const user = this.user ?? ''
    if (requireTls && !this.session.encrypted) return this.reply('530 Non-anonymous sessions must use encryption.')
    const ok = (anonymous && (user === 'anonymous' || user === 'ftp')) || (users[user] !== undefined && users[user] === password)
    if (!ok) return this.reply('530 Login incorrect.')
    this.loggedIn = true
    return this.reply('230 Login successful.')
  }

  private async transfer(kind: TransferKind, argument: string): Promise<void> {
    await serveTransfer(this, kind, argument)
    this.setup = undefined
    this.restOffset = 0
  }

  private async passive(extended: boolean): Promise<void> {
    if (extended && this.options.faults?.refuseEpsv === true) return this.reply('500 Unknown command.')
    closeSetup(this.setup)
    this.setup = await listenPassive(this.context.host)
    const { port } = this.setup
    if (extended) return this.reply(`229 Entering Extended Passive Mode (|||${port}|)`)
    const host = (this.options.faults?.pasvAddress ?? (this.context.host === '::1' ? '127.0.0.1' : this.context.host)).replaceAll('.', ',')
    return this.reply(`227 Entering Passive Mode (${host},${Math.floor(port / 256)},${port % 256}).`)
  }

  private async active(extended: boolean, argument: string): Promise<void> {
    let host: string | undefined
    let port: number
    if (extended) {
      const parts = argument.split(argument.charAt(0))
      host = parts[2]
      port = Number(parts[3])
    } else {
      const numbers = argument.split(',').map(Number)
      host = numbers.slice(0, 4).join('.')
      port = (numbers[4] ?? 0) * 256 + (numbers[5] ?? 0)
    }
    if (host === undefined || !(port > 0 && port < 65536)) return this.reply('501 Illegal PORT command.')
    closeSetup(this.setup)
    this.setup = { mode: 'active', host, port }
    return this.reply(`200 ${extended ? 'EPRT' : 'PORT'} command successful. Consider using PASV.`)
  }

  private async authTls(argument: string): Promise<void> {
    const mechanism = argument.toUpperCase()
    if ((this.options.tls ?? 'none') === 'none' || this.session.encrypted) return this.reply('502 AUTH not available.')
    if (mechanism !== 'TLS' && mechanism !== 'SSL' && mechanism !== 'TLS-C') return this.reply('504 Unknown AUTH type.')
    await this.reply('234 Proceed with negotiation.')
    // Unwrappable, so that CCC can remove it again (a carrier stream under the TLS; the control channel is small).
    await this.session.upgradeTls({ unwrappable: true })
    this.secureContext = this.session.secureContext
  }

  /**
   * CCC (RFC 4217 section 6): `200`, then close_notify both ways and plaintext on the same connection, as
   * ProFTPD and Python's `FTP_TLS.ccc()` do it. PROT P stays in force: data connections still run TLS.
   */
  private async clearCommandChannel(): Promise<void> {
    if (!this.session.encrypted) return this.reply('533 Command channel is not protected.')
    await this.reply('200 Clearing control channel protection.')
    if (this.options.faults?.cccWithoutShutdown === true) {
      await this.session.closed // the client's close_notify stays unanswered until it gives up
      return
    }
    await this.session.endTls()
  }

  private async stat(argument: string, verb: 'SIZE' | 'MDTM' | 'MLST'): Promise<void> {
    const entry = this.context.fs.stat(this.path(argument))
    if (entry === undefined || (verb !== 'MLST' && entry.type !== 'file')) return this.reply('550 Could not get file size.')
    if (verb === 'SIZE' && entry.type === 'file') return this.reply(`213 ${entry.file.data.length}`)
    if (verb === 'MDTM' && entry.type === 'file') return this.reply(`213 ${formatTimeVal(entry.file.modified)}`)
    return this.session.write(`250-Listing ${argument}\r\n ${formatFacts(entry, this.path(argument))}\r\n250 End.\r\n`)
  }

  private makeHandlers(): Record<string, Handler> {
    return { ...this.sessionCommands(), ...fileCommands(this), ...this.dataCommands() }
  }

  private dataCommands(): Record<string, Handler> {
    const unknown = (): Promise<void> => this.reply('500 Unknown command.')
    return {
      PASV: async () => this.passive(false),
      EPSV: async (argument) => (argument.toUpperCase() === 'ALL' ? this.reply('200 EPSV ALL ok.') : this.passive(true)),
      PORT: async (argument) => this.active(false, argument),
      EPRT: async (argument) => this.active(true, argument),
      REST: async (offset) => {
        if (!/^\d+$/.test(offset)) return this.reply('501 Bad REST offset.')
        this.restOffset = Number(offset)
        return this.reply(`350 Restart position accepted (${offset}).`)
      },
      RETR: async (argument) => this.transfer('RETR', argument),
      STOR: async (argument) => this.transfer('STOR', argument),
      APPE: async (argument) => this.transfer('APPE', argument),
      LIST: async (argument) => this.transfer('LIST', argument),
      NLST: async (argument) => this.transfer('NLST', argument),
      MLSD: async (argument) => (this.options.mlsd === false ? unknown() : this.transfer('MLSD', argument)),
      MLST: async (argument) => (this.options.mlsd === false ? unknown() : this.stat(argument, 'MLST')),
      SIZE: async (argument) => this.stat(argument, 'SIZE'),
      MDTM: async (argument) => this.stat(argument, 'MDTM'),
    }
  }

  private sessionCommands(): Record<string, Handler> {
    const ok = (line: string): Handler => async () => this.reply(line)
    return {
      USER: async (user) => {
        this.user = user
        this.loggedIn = false
        return this.reply('331 Please specify the password.')
      },
      PASS: async (password) => this.login(password),
      AUTH: async (argument) => this.authTls(argument),
      CCC: async () => this.clearCommandChannel(),
      PBSZ: ok('200 PBSZ set to 0.'),
      PROT: async (level) => {
        if (level.toUpperCase() === 'P' && this.session.encrypted) this.protectData = true
        else if (level.toUpperCase() === 'C') this.protectData = false
        else return this.reply('536 PROT level not supported.')
        return this.reply('200 PROT now ' + (this.protectData ? 'Private.' : 'Clear.'))
      },
      FEAT: async () => this.session.write(`211-Features:\r\n${this.features().map((f) => ` ${f}\r\n`).join('')}211 End\r\n`),
      OPTS: async (argument) => this.reply(/^UTF8 ON$/i.test(argument) ? '200 Always in UTF8 mode.' : '501 Option not understood.'),
      HOST: ok('220 Host accepted.'),
      SYST: ok('215 UNIX Type: L8'),
      NOOP: ok('200 NOOP ok.'),
      ABOR: ok('225 No transfer to ABOR.'),
      MODE: async (mode) => this.reply(mode.toUpperCase() === 'S' ? '200 Mode set to S.' : '504 Bad MODE command.'),
      STRU: async (stru) => this.reply(stru.toUpperCase() === 'F' ? '200 Structure set to F.' : '504 Bad STRU command.'),
      TYPE: async (type) => {
        const kind = type.toUpperCase().replace(/\s+N$/, '')
        if (kind !== 'A' && kind !== 'I' && kind !== 'L 8') return this.reply('500 Unrecognised TYPE command.')
        this.type = kind === 'A' ? 'A' : 'I'
        return this.reply(`200 Switching to ${kind === 'A' ? 'ASCII' : 'Binary'} mode.`)
      },
      SITE: async (argument) => this.reply(/^CHMOD /i.test(argument) ? '200 SITE CHMOD command ok.' : '500 Unknown SITE command.'),
    }
  }
}
