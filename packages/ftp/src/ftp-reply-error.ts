import { ReplyError, type ReplyErrorOptions } from '@netc/transport'

/**
 * FtpReplyError: the FTP server refused a command with a 4xx or 5xx reply (RFC 959 section 4.2). The
 * client stays usable.
 *
 * ```
 * C: RETR dave.txt
 * S: 550 Failed to open file.
 * → FtpReplyError "RETR dave.txt failed: 550 Failed to open file." { replyCode: 550, isPermanent: true }
 * ```
 */
export class FtpReplyError extends ReplyError {
  static override readonly kind: string = 'FtpReplyError'

  constructor(options: ReplyErrorOptions, message?: string) {
    super(options, message)
  }
}

/** createFtpReplyError: the factory the client gives its Connection. */
export function createFtpReplyError(options: ReplyErrorOptions): FtpReplyError {
  return new FtpReplyError(options)
}
