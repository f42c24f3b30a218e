import { ProtocolError } from '@netc/transport'

/** GroupInfo: a newsgroup as GROUP and LISTGROUP describe it (RFC 3977 section 6.1.1). */
export interface GroupInfo {
  /** The group's name. */
  readonly name: string
  /** The estimated number of articles (servers may count gaps). */
  readonly count: number
  /** The lowest article number (`last + 1` or so in an empty group). */
  readonly first: number
  /** The highest article number (`first - 1` or 0 in an empty group). */
  readonly last: number
}

/**
 * parseGroupReply: the text of a `211` reply to GROUP or LISTGROUP (RFC 3977 section 6.1.1.2).
 *
 * ```
 * S: 211 3 1 3 misc.test     → { name: 'misc.test', count: 3, first: 1, last: 3 }
 * S: 211 0 1 0 local.empty   → { name: 'local.empty', count: 0, first: 1, last: 0 }
 * ```
 * Throws ProtocolError when the text is not `count first last name`.
 */
export function parseGroupReply(text: string): GroupInfo {
  const match = /^\s*(\d{1,16})\s+(\d{1,16})\s+(\d{1,16})\s+(\S+)/.exec(text)
  if (match === null) throw new ProtocolError(`malformed GROUP reply: ${JSON.stringify(text.slice(0, 80))}`)
  return { count: Number(match[1]), first: Number(match[2]), last: Number(match[3]), name: match[4] as string }
}
