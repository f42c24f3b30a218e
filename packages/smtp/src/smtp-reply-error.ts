import { ReplyError, type CodedReply, type ReplyErrorOptions } from '@netc/transport'
import { parseEnhancedStatus } from './parse-enhanced-status.ts'

/**
 * SmtpReplyError: the SMTP or LMTP server refused a command with a 4xx or 5xx reply. The connection stays
 * usable. `enhancedStatus` is the RFC 3463 code at the start of the reply's text, when the server sent one
 * (servers that advertise ENHANCEDSTATUSCODES do, RFC 2034).
 *
 * ```
 * C: RCPT TO:<nobody@example.com>
 * S: 550 5.1.1 <nobody@example.com>: Recipient address rejected
 * → SmtpReplyError "RCPT TO:<nobody@example.com> failed: 550 5.1.1 ..." { replyCode: 550, enhancedStatus: '5.1.1' }
 * ```
 * RFC 5321 section 4.2, RFC 3463.
 */
export class SmtpReplyError extends ReplyError {
  static override readonly kind: string = 'SmtpReplyError'
  /** The enhanced status code, e.g. `'5.1.1'`, or undefined. */
  readonly enhancedStatus: string | undefined

  constructor(options: ReplyErrorOptions, message?: string) {
    super(options, message)
    this.enhancedStatus = parseEnhancedStatus(options.lines[0] ?? '', options.replyCode)?.code
  }

  /** SmtpReplyError.fromReply: the error for a refused reply and the (redacted) command that drew it. */
  static fromReply(reply: CodedReply, command?: string): SmtpReplyError {
    return new SmtpReplyError({ replyCode: reply.code, lines: reply.lines, command })
  }
}
