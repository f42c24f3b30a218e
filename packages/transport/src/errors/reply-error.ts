import { NetcError, type NetcErrorOptions } from './netc-error.ts'

/** What a ReplyError is made from: the server's reply and the (redacted) command that drew it. */
export interface ReplyErrorOptions extends NetcErrorOptions {
  /** The reply's numeric code, e.g. 550. POP3 has none: its clients pass 0 for `-ERR`. */
  replyCode: number
  /** The reply's text lines, without codes and line endings. */
  lines: readonly string[]
  /** The command as logged (`PASS ****`), or undefined for an unsolicited reply such as a greeting. */
  command?: string | undefined
}

/**
 * ReplyError: the server refused a command with a well-formed reply (4xx or 5xx). The connection stays
 * usable. Protocol packages subclass it (`FtpReplyError`, `SmtpReplyError`, ...).
 *
 * ```
 * C: RETR dave.txt
 * S: 550 No such file
 * → ReplyError "RETR dave.txt failed: 550 No such file" { replyCode: 550, isPermanent: true }
 * ```
 */
export class ReplyError extends NetcError {
  static override readonly kind: string = 'ReplyError'
  override readonly code = 'ERR_NETC_REPLY'
  /** The reply's numeric code (RFC 959 / 5321 / 3977 section 3.2). */
  readonly replyCode: number
  /** The reply's text lines. */
  readonly lines: readonly string[]
  /** The command that drew the reply, secrets redacted. */
  readonly command: string | undefined

  constructor(options: ReplyErrorOptions, message?: string) {
    super(message ?? ReplyError.describe(options), options)
    this.replyCode = options.replyCode
    this.lines = options.lines
    this.command = options.command
  }

  /** A 4xx reply: the same command may succeed later (RFC 5321 section 4.2.1). */
  get isTransient(): boolean {
    return this.replyCode >= 400 && this.replyCode < 500
  }

  /** A 5xx reply: repeating the command as it is will fail again. */
  get isPermanent(): boolean {
    return this.replyCode >= 500 && this.replyCode < 600
  }

  /** The message netc uses: `RETR dave.txt failed: 550 No such file`. */
  static describe(options: ReplyErrorOptions): string {
    const text = options.lines.join(' ').trim()
    const reply = options.replyCode > 0 ? `${options.replyCode} ${text}`.trim() : text
    return options.command === undefined ? `server replied: ${reply}` : `${options.command} failed: ${reply}`
  }
}
