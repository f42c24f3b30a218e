import { InvalidArgumentError } from '@netc/transport'

/**
 * ArticleRange: a range of article numbers (RFC 3977 section 3.1.2 `range`): one number, `{ from, to }`
 * (both inclusive), or `{ from }` for "from here to the end".
 *
 * ```
 * 7 → '7'    { from: 5 } → '5-'    { from: 1, to: 10 } → '1-10'
 * ```
 */
export type ArticleRange = number | { readonly from: number; readonly to?: number | undefined }

/** ArticleId: an article by its number in the current group, or by its message-id (`<a@b>`). */
export type ArticleId = number | string

const MESSAGE_ID = /^<[\x21-\x3d\x3f-\x7e]{1,248}>$/

/**
 * assertMessageId: a message-id as RFC 3977 section 3.6 allows it: `<`, 1 to 248 printable US-ASCII
 * characters other than `>`, `>`; no spaces, CR or LF. Throws InvalidArgumentError otherwise.
 */
export function assertMessageId(value: string): string {
  if (!MESSAGE_ID.test(value)) throw new InvalidArgumentError(`invalid message-id: ${JSON.stringify(value.slice(0, 260))}`)
  return value
}

/** isMessageId: true when the text is a well-formed message-id (see `assertMessageId`). */
export function isMessageId(value: string): boolean {
  return MESSAGE_ID.test(value)
}

function assertArticleNumber(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidArgumentError(`invalid ${what}: ${String(value)}`)
  return value
}

/**
 * formatArticleId: the argument for ARTICLE, HEAD, BODY, STAT: a number (RFC 3977 section 6.2: a
 * non-negative integer) or a message-id. Throws InvalidArgumentError for anything else.
 */
export function formatArticleId(id: ArticleId): string {
  return typeof id === 'number' ? String(assertArticleNumber(id, 'article number')) : assertMessageId(id)
}

/** formatRange: the wire form of an ArticleRange (`7`, `5-`, `1-10`). Throws InvalidArgumentError for bad numbers. */
export function formatRange(range: ArticleRange): string {
  if (typeof range === 'number') return String(assertArticleNumber(range, 'article number'))
  const from = assertArticleNumber(range.from, 'range start')
  if (range.to === undefined) return `${from}-`
  return `${from}-${assertArticleNumber(range.to, 'range end')}`
}

/**
 * assertWildmat: a wildmat (RFC 3977 section 4) or a newsgroup name as a command argument: not empty,
 * no space, tab, CR, LF, NUL or other control character. Throws InvalidArgumentError otherwise.
 */
export function assertWildmat(value: string, what = 'wildmat'): string {
  // eslint-disable-next-line no-control-regex
  if (value === '' || /[\x00-\x20\x7f]/.test(value)) throw new InvalidArgumentError(`invalid ${what}: ${JSON.stringify(value.slice(0, 200))}`)
  return value
}

/** assertGroupName: a newsgroup name as a command argument (see `assertWildmat`). */
export function assertGroupName(value: string): string {
  return assertWildmat(value, 'newsgroup name')
}

/**
 * assertHeaderName: a header name for HDR or XHDR (`Subject`), or a metadata item (`:bytes`): printable
 * US-ASCII without spaces; a colon only in first place. Throws InvalidArgumentError otherwise.
 */
export function assertHeaderName(value: string): string {
  if (!/^:?[\x21-\x39\x3b-\x7e]+$/.test(value)) throw new InvalidArgumentError(`invalid header name: ${JSON.stringify(value.slice(0, 200))}`)
  return value
}
