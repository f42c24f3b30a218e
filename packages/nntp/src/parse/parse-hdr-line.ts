import { ProtocolError } from '@netc/transport'
import { decodeHeader } from './decode-header.ts'

/** HdrEntry: one line of an HDR or XHDR answer: which article, and the header's value. */
export interface HdrEntry {
  /** The article number; 0 when the article was asked for by message-id (RFC 3977 section 8.5.2). */
  readonly number: number
  /** The message-id, when an old XHDR server keyed the line by it. */
  readonly messageId: string | undefined
  /** The value as sent (empty when the article has no such header). */
  readonly raw: string
  /** The value with RFC 2047 encoded words decoded. */
  readonly value: string
}

/**
 * parseHdrLine: one line of HDR (RFC 3977 section 8.5) or XHDR (RFC 2980 section 2.6).
 *
 * ```
 * 2 =?UTF-8?B?R3LDvMOfZQ==?=            → { number: 2, raw: '=?UTF-8?B?R3LDvMOfZQ==?=', value: 'Grüße' }
 * 0 hello world                          → { number: 0, value: 'hello world' }   (by message-id)
 * <a@example.org> hello                  → { number: 0, messageId: '<a@example.org>', value: 'hello' }
 * ```
 * Throws ProtocolError when the line starts with neither a number nor a message-id.
 */
export function parseHdrLine(line: string): HdrEntry {
  const match = /^(?:(\d{1,16})|(<[^\s<>]+>))(?:[ \t](.*))?$/s.exec(line)
  if (match === null) throw new ProtocolError(`malformed HDR line: ${JSON.stringify(line.slice(0, 80))}`)
  const raw = match[3] ?? ''
  return { number: match[1] === undefined ? 0 : Number(match[1]), messageId: match[2], raw, value: decodeHeader(raw) }
}
