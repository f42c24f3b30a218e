import type { ReplyErrorOptions } from '@netc/transport'
import type { RejectedRecipient } from './send-result.ts'
import { SmtpReplyError } from './smtp-reply-error.ts'

/**
 * SmtpRecipientsRejectedError: `send` failed because the server accepted none of the recipients (Python's
 * `SMTPRecipientsRefused`). Its reply is the first refusal's; `rejected` holds every one.
 *
 * ```
 * C: RCPT TO:<nobody@example.com>
 * S: 550 5.1.1 <nobody@example.com>: Recipient address rejected
 * → SmtpRecipientsRejectedError "no recipient accepted: RCPT TO:<nobody@example.com> failed: 550 5.1.1 ..."
 * ```
 */
export class SmtpRecipientsRejectedError extends SmtpReplyError {
  static override readonly kind: string = 'SmtpRecipientsRejectedError'
  /** Every recipient with its refusal, in envelope order. */
  readonly rejected: readonly RejectedRecipient[]

  constructor(rejected: readonly RejectedRecipient[]) {
    const first = rejected[0]?.error
    const options: ReplyErrorOptions = { replyCode: first?.replyCode ?? 554, lines: first?.lines ?? ['no recipients'], command: first?.command }
    const more = rejected.length > 1 ? ` (and ${rejected.length - 1} more)` : ''
    super(options, `no recipient accepted: ${first?.message ?? 'no recipients'}${more}`)
    this.rejected = rejected
  }
}
