/**
 * CodedReply: one reply of the coded text protocols (FTP, SMTP, LMTP, NNTP): a three-digit code and
 * one or more lines of text.
 *
 * ```
 * S: 250-mail.example.com greets you
 * S: 250-PIPELINING
 * S: 250 CHUNKING
 * → { code: 250, lines: ['mail.example.com greets you', 'PIPELINING', 'CHUNKING'] }
 * ```
 * RFC 959 section 4.2, RFC 5321 section 4.2, RFC 3977 section 3.2.
 */
export interface CodedReply {
  /** The three-digit reply code, 100 to 599. */
  readonly code: number
  /**
   * The text of each line without the code and its separator. Lines of an RFC 959 multi-line reply that
   * do not start with the code are kept whole (FEAT's ` MDTM`).
   */
  readonly lines: readonly string[]
}

/** The reply's text: its lines joined with a newline. */
export function replyText(reply: CodedReply): string {
  return reply.lines.join('\n')
}

/** 1xx: positive preliminary (FTP's `150 Opening data connection`). RFC 959 section 4.2. */
export function isPreliminary(reply: CodedReply): boolean {
  return reply.code >= 100 && reply.code < 200
}

/** 2xx: positive completion. */
export function isPositive(reply: CodedReply): boolean {
  return reply.code >= 200 && reply.code < 300
}

/** 3xx: positive intermediate (`354 Start mail input`, `334` SASL challenge, `331 Password required`). */
export function isIntermediate(reply: CodedReply): boolean {
  return reply.code >= 300 && reply.code < 400
}

/** 4xx: transient negative completion: the same command may succeed later. */
export function isTransientNegative(reply: CodedReply): boolean {
  return reply.code >= 400 && reply.code < 500
}

/** 5xx: permanent negative completion. */
export function isPermanentNegative(reply: CodedReply): boolean {
  return reply.code >= 500 && reply.code < 600
}
