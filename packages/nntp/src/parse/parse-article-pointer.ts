import { ProtocolError } from '@netc/transport'

/**
 * ArticlePointer: which article a reply speaks of: its number in the current group (0 when it was asked
 * for by message-id, RFC 3977 section 6.2.1.2) and its message-id.
 */
export interface ArticlePointer {
  readonly number: number
  readonly messageId: string
}

/**
 * parseArticlePointer: the `n message-id` at the start of a 220, 221, 222 or 223 reply's text
 * (RFC 3977 sections 6.1.3, 6.1.4, 6.2.1 to 6.2.4).
 *
 * ```
 * S: 223 1 <first@example.org> status   → { number: 1, messageId: '<first@example.org>' }
 * S: 220 0 <second@example.org> article → { number: 0, messageId: '<second@example.org>' }
 * ```
 * Throws ProtocolError when the text does not start so.
 */
export function parseArticlePointer(text: string): ArticlePointer {
  const match = /^\s*(\d{1,16})\s+(<[^\s<>]+>)(?:\s|$)/.exec(text)
  if (match === null) throw new ProtocolError(`malformed article reply: ${JSON.stringify(text.slice(0, 80))}`)
  return { number: Number(match[1]), messageId: match[2] as string }
}
