/** EnhancedStatus: an RFC 3463 enhanced mail system status code, `class.subject.detail`. */
export interface EnhancedStatus {
  /** `2` success, `4` persistent transient failure, `5` permanent failure (RFC 3463 section 3.1). */
  readonly statusClass: 2 | 4 | 5
  /** The subject, e.g. `1` for addressing (RFC 3463 section 3.2). */
  readonly subject: number
  /** The detail within the subject. */
  readonly detail: number
  /** The code as written: `'5.1.1'`. */
  readonly code: string
}

const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?=\s|$)/

/**
 * parseEnhancedStatus: the RFC 3463 status code at the start of a reply line's text (RFC 2034 section 3),
 * or `undefined` when the text does not start with one.
 *
 * ```
 * S: 550 5.1.1 <nobody@example.com>: Recipient address rejected
 * parseEnhancedStatus('5.1.1 <nobody@example.com>: ...', 550)  // { statusClass: 5, subject: 1, detail: 1, code: '5.1.1' }
 * ```
 * With `replyCode`, a code whose class disagrees with the reply's first digit is not taken (RFC 2034
 * section 3: they must agree; a `250 5.0.0 ...` is text, not a status). Never throws.
 */
export function parseEnhancedStatus(text: string, replyCode?: number): EnhancedStatus | undefined {
  const match = ENHANCED.exec(text)
  if (match === null) return undefined
  const statusClass = Number(match[1]) as 2 | 4 | 5
  if (replyCode !== undefined && Math.floor(replyCode / 100) !== statusClass) return undefined
  const subject = Number(match[2])
  const detail = Number(match[3])
  return { statusClass, subject, detail, code: `${statusClass}.${subject}.${detail}` }
}
