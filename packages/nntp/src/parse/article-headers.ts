import { decodeHeader } from './decode-header.ts'

/** HeaderField: one header as it appeared: its name as spelt, and its value unfolded but not decoded. */
export interface HeaderField {
  readonly name: string
  readonly raw: string
}

/**
 * ArticleHeaders: an article's header fields in order, looked up case-insensitively. `get` decodes RFC
 * 2047 encoded words (as nntplib's `decode_header` did); `getRaw` gives the value as sent (unfolded).
 *
 * ```ts
 * headers.get('subject')        // 'Grüße aus München and a folded continuation'
 * headers.getRaw('Subject')     // '=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?= and a folded continuation'
 * headers.getAll('received')    // every Received header, in order
 * ```
 * RFC 5322 section 2.2, RFC 3977 section 6.2.
 */
export class ArticleHeaders implements Iterable<HeaderField> {
  readonly #fields: readonly HeaderField[]

  constructor(fields: readonly HeaderField[]) {
    this.#fields = fields
  }

  /** How many header fields there are. */
  get size(): number {
    return this.#fields.length
  }

  /** has: whether a header of that name is present. */
  has(name: string): boolean {
    return this.getRaw(name) !== undefined
  }

  /** get: the first header of that name, decoded; undefined when absent. */
  get(name: string): string | undefined {
    const raw = this.getRaw(name)
    return raw === undefined ? undefined : decodeHeader(raw)
  }

  /** getRaw: the first header of that name as sent (unfolded); undefined when absent. */
  getRaw(name: string): string | undefined {
    const wanted = name.toLowerCase()
    return this.#fields.find((field) => field.name.toLowerCase() === wanted)?.raw
  }

  /** getAll: every header of that name, decoded, in order. */
  getAll(name: string): string[] {
    const wanted = name.toLowerCase()
    return this.#fields.filter((field) => field.name.toLowerCase() === wanted).map((field) => decodeHeader(field.raw))
  }

  /** toObject: the first value of each header (decoded), keyed by lower-case name. */
  toObject(): Record<string, string> {
    const result: Record<string, string> = {}
    for (const field of this.#fields) result[field.name.toLowerCase()] ??= decodeHeader(field.raw)
    return result
  }

  [Symbol.iterator](): Iterator<HeaderField> {
    return this.#fields[Symbol.iterator]()
  }
}

const NAME = /^[\x21-\x39\x3b-\x7e]+$/

/**
 * parseArticleHeaders: the header block of an article (up to the blank line, or all of it for HEAD),
 * unfolded (RFC 5322 section 2.2.3: a line starting with space or tab continues the previous one).
 *
 * ```
 * Subject: =?UTF-8?B?R3LDvMOfZQ==?=
 *  and more                         → { name: 'Subject', raw: '=?UTF-8?B?R3LDvMOfZQ==?= and more' }
 * ```
 * Lenient as news needs: lines that are no header (no colon, a space in the name, a continuation with
 * nothing to continue) are skipped; CRLF and bare LF both end lines; bytes are read as UTF-8. Never throws.
 */
export function parseArticleHeaders(block: Buffer | string): ArticleHeaders {
  const text = typeof block === 'string' ? block : block.toString('utf8')
  const fields: Array<{ name: string; raw: string }> = []
  let current: { name: string; raw: string } | undefined
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current !== undefined) current.raw += line
      continue
    }
    const colon = line.indexOf(':')
    const name = colon > 0 ? line.slice(0, colon) : ''
    current = NAME.test(name) ? { name, raw: line.slice(colon + 1) } : undefined
    if (current !== undefined) fields.push(current)
  }
  return new ArticleHeaders(fields.map((field) => ({ name: field.name, raw: field.raw.trim() })))
}

/**
 * findHeaderEnd: where an article's header block ends and its body begins: after the first empty line
 * (CRLF CRLF, or LF LF), or at once when the article starts with an empty line. Undefined when no empty
 * line has arrived (yet). RFC 5322 section 2.1.
 */
export function findHeaderEnd(article: Buffer): { headerEnd: number; bodyStart: number } | undefined {
  if (article.subarray(0, 2).toString('latin1') === '\r\n') return { headerEnd: 0, bodyStart: 2 }
  if (article.subarray(0, 1).toString('latin1') === '\n') return { headerEnd: 0, bodyStart: 1 }
  const crlf = article.indexOf('\r\n\r\n')
  const lf = article.indexOf('\n\n')
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headerEnd: crlf + 2, bodyStart: crlf + 4 }
  if (lf >= 0) return { headerEnd: lf + 1, bodyStart: lf + 2 }
  return undefined
}

/**
 * splitArticle: an article's bytes cut at the first empty line (RFC 5322 section 2.1): the header block
 * and the body. With no empty line, it is all header (HEAD) and the body is empty.
 */
export function splitArticle(article: Buffer): { header: Buffer; body: Buffer } {
  const end = findHeaderEnd(article)
  if (end === undefined) return { header: article, body: article.subarray(article.length) }
  return { header: article.subarray(0, end.headerEnd), body: article.subarray(end.bodyStart) }
}
