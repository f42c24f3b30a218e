import { Command, type CodedReply, type ConnectionIo } from '@netc/transport'
import { formatArticleId, type ArticleId } from '../args/nntp-arguments.ts'
import { parseArticleHeaders, splitArticle, type ArticleHeaders } from '../parse/article-headers.ts'
import { parseArticlePointer, type ArticlePointer } from '../parse/parse-article-pointer.ts'
import { exchange, statusText } from './block-io.ts'

/** Article: an article read by ARTICLE: where it is, its headers (parsed) and its body (bytes, CRLF, unstuffed). */
export interface Article extends ArticlePointer {
  readonly headers: ArticleHeaders
  readonly body: Buffer
}

/** ArticleHead: what HEAD returns. */
export interface ArticleHead extends ArticlePointer {
  readonly headers: ArticleHeaders
}

/** ArticleBody: what BODY returns. */
export interface ArticleBody extends ArticlePointer {
  readonly body: Buffer
}

/** The retrieval commands of RFC 3977 section 6.2 and the status each answers with. */
export const retrievalCodes = Object.freeze({ ARTICLE: 220, HEAD: 221, BODY: 222, STAT: 223 } as const)

/** RetrievalVerb: ARTICLE, HEAD, BODY or STAT. */
export type RetrievalVerb = keyof typeof retrievalCodes

/** retrievalCommand: `ARTICLE 3`, `HEAD <a@b>`, or the verb alone for the current article. */
export function retrievalCommand(verb: RetrievalVerb, id: ArticleId | undefined): Command {
  return id === undefined ? Command.of(verb) : Command.of(verb, formatArticleId(id))
}

/**
 * readArticleReply: after the status line of ARTICLE, HEAD, BODY or STAT has been judged, reads the
 * block (if any) and returns the article (RFC 3977 section 6.2.1.2).
 *
 * ```
 * S: 220 1 <first@example.org> article
 * S: Subject: hello world
 * S:
 * S: Hello.
 * S: .
 * ```
 */
export async function readArticleReply(io: ConnectionIo, verb: RetrievalVerb, reply: CodedReply): Promise<Article> {
  const pointer = parseArticlePointer(statusText(reply))
  if (verb === 'STAT') return { ...pointer, headers: parseArticleHeaders(''), body: Buffer.alloc(0) }
  const block = await io.readDotBodyBuffer()
  if (verb === 'BODY') return { ...pointer, headers: parseArticleHeaders(''), body: block }
  if (verb === 'HEAD') return { ...pointer, headers: parseArticleHeaders(block), body: Buffer.alloc(0) }
  const { header, body } = splitArticle(block)
  return { ...pointer, headers: parseArticleHeaders(header), body }
}

/** retrieve: one ARTICLE, HEAD, BODY or STAT, waiting for its reply. 423/430 throw NntpReplyError. */
export async function retrieve(io: ConnectionIo, verb: RetrievalVerb, id: ArticleId | undefined): Promise<Article> {
  const reply = await exchange(io, retrievalCommand(verb, id), retrievalCodes[verb], { block: verb !== 'STAT' })
  return readArticleReply(io, verb, reply)
}

/** move: NEXT or LAST (RFC 3977 sections 6.1.3, 6.1.4): `223 n <id>`. 421/422 throw NntpReplyError. */
export async function move(io: ConnectionIo, verb: 'NEXT' | 'LAST'): Promise<ArticlePointer> {
  const reply = await exchange(io, Command.of(verb), 223)
  return parseArticlePointer(statusText(reply))
}
