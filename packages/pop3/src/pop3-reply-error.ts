import { ReplyError, type ReplyErrorOptions } from '@netc/transport'
import type { Pop3Status } from './parse-status-line.ts'

/** Response codes after which the same command may succeed later (RFC 2449 section 8, RFC 3206). */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['IN-USE', 'LOGIN-DELAY', 'SYS/TEMP'])
/** Response codes after which repeating the command as it is fails again (RFC 3206). */
const PERMANENT_CODES: ReadonlySet<string> = new Set(['SYS/PERM', 'AUTH'])

/** What a Pop3ReplyError is made from: the `-ERR` status line and the redacted command. */
export interface Pop3ReplyErrorOptions extends Omit<ReplyErrorOptions, 'replyCode' | 'lines'> {
  status: Pop3Status
}

/**
 * Pop3ReplyError: the POP3 server refused a command with `-ERR`. The connection stays usable. POP3 has no
 * numeric codes, so `replyCode` is 0; `respCode` carries the RFC 2449 extended response code when the
 * server sent one (servers that advertise RESP-CODES and AUTH-RESP-CODE do).
 *
 * ```
 * C: RETR 1
 * S: -ERR [SYS/TEMP] disk full
 * → Pop3ReplyError "RETR 1 failed: -ERR [SYS/TEMP] disk full" { replyCode: 0, respCode: 'SYS/TEMP', isTransient: true }
 * ```
 * `isTransient` is true for `IN-USE`, `LOGIN-DELAY` and `SYS/TEMP`, `isPermanent` for `SYS/PERM` and
 * `AUTH`; both are false without a code. RFC 1939 section 3, RFC 2449 section 8, RFC 3206.
 */
export class Pop3ReplyError extends ReplyError {
  static override readonly kind: string = 'Pop3ReplyError'
  /** The response code without brackets, e.g. `'IN-USE'`, `'SYS/TEMP'`, `'AUTH'`, or undefined. */
  readonly respCode: string | undefined
  /** The status line as the server sent it: `-ERR [SYS/TEMP] disk full`. */
  readonly statusLine: string

  constructor(options: Pop3ReplyErrorOptions) {
    const { status, ...rest } = options
    const lines = [status.line.replace(/^-ERR ?/i, '')]
    const message = options.command === undefined ? `server replied: ${status.line}` : `${options.command} failed: ${status.line}`
    super({ ...rest, replyCode: 0, lines }, message)
    this.respCode = status.respCode
    this.statusLine = status.line
  }

  /** True when the response code says the command may succeed later (`IN-USE`, `LOGIN-DELAY`, `SYS/TEMP`). */
  override get isTransient(): boolean {
    return this.respCode !== undefined && TRANSIENT_CODES.has(this.respCode)
  }

  /** True when the response code says the command will fail again as it is (`SYS/PERM`, `AUTH`). */
  override get isPermanent(): boolean {
    return this.respCode !== undefined && PERMANENT_CODES.has(this.respCode)
  }
}
