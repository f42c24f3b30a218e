/** DsnNotify: when a delivery status notification is wanted (RFC 3461 section 4.1). */
export type DsnNotify = 'success' | 'failure' | 'delay'

/**
 * DsnOptions: delivery status notifications asked for (RFC 3461), sent only when the server offers DSN.
 *
 * ```
 * { ret: 'headers', envelopeId: 'x1', notify: ['failure', 'delay'], orcpt: true }
 * C: MAIL FROM:<a@example.com> RET=HDRS ENVID=x1
 * C: RCPT TO:<b@example.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b@example.com
 * ```
 */
export interface DsnOptions {
  /** `RET`: return the whole message (`full`) or its headers (`headers`) in a failure report. */
  ret?: 'full' | 'headers'
  /** `ENVID`: an identifier that comes back in the reports (xtext-encoded on the wire). */
  envelopeId?: string
  /** `NOTIFY` for every recipient: a list, or `'never'`. */
  notify?: readonly DsnNotify[] | 'never'
  /** `ORCPT=rfc822;<address>` for every recipient. */
  orcpt?: boolean
}

/**
 * SmtpEnvelope: who a message is from and to (RFC 5321 section 2.3.1), apart from the message itself.
 *
 * ```ts
 * await smtp.send({ from: 'a@example.com', to: ['b@example.com', 'c@example.com'] }, message)
 * ```
 */
export interface SmtpEnvelope {
  /** The reverse-path; `''` for the null path `<>` of bounces. */
  from: string
  /** The recipients, at least one. */
  to: readonly string[]
  /** DSN parameters, sent when the server offers DSN (RFC 3461). */
  dsn?: DsnOptions
  /** The message size to declare (SIZE, RFC 1870) when the message is a stream; measured for Buffers and strings. */
  size?: number
  /**
   * The body type (RFC 6152, RFC 3030). Default: `8BITMIME` when the server offers it (declaring 8 bits
   * for a 7-bit message is harmless), nothing otherwise. `BINARYMIME` needs CHUNKING and BINARYMIME.
   */
  body?: '7BIT' | '8BITMIME' | 'BINARYMIME'
  /** Ask for SMTPUTF8 (RFC 6531) even with ASCII addresses (UTF-8 headers). Added by itself for UTF-8 addresses. */
  smtpUtf8?: boolean
  /** REQUIRETLS (RFC 8689): the message must travel over TLS all the way; refused when the server lacks it. */
  requireTls?: boolean
}
