import { ProtocolError, type ConnectionIo } from '@netc/transport'
import type { ArticleId } from '../args/nntp-arguments.ts'
import { findHeaderEnd, parseArticleHeaders } from '../parse/article-headers.ts'
import { parseArticlePointer } from '../parse/parse-article-pointer.ts'
import { retrievalCommand, type ArticleHead } from './article-commands.ts'
import { exchange, statusText } from './block-io.ts'
import type { Pipe } from './pipe.ts'

/**
 * streamArticle: ARTICLE with the headers parsed as soon as the empty line arrives (`onHead`), and the body
 * handed over chunk by chunk after it, unstuffed, in constant memory (RFC 3977 section 6.2.1). The header
 * block is bounded by `limits.maxReplyBytes`. When the consumer leaves, the rest is drained.
 *
 * ```
 * C: ARTICLE 3
 * S: 220 3 <third@example.org> article
 * S: Subject: ...        → onHead({ number: 3, messageId, headers })
 * S:
 * S: (body ...) .        → pipe
 * ```
 */
export async function streamArticle(io: ConnectionIo, id: ArticleId | undefined, pipe: Pipe<Buffer>, onHead: (head: ArticleHead) => void): Promise<void> {
  const reply = await exchange(io, retrievalCommand('ARTICLE', id), 220, { block: true })
  const pointer = parseArticlePointer(statusText(reply))
  let head: Buffer | undefined = Buffer.alloc(0)
  for await (const chunk of io.readDotBody()) {
    if (head === undefined) {
      if (!(await pipe.push(chunk))) break
      continue
    }
    head = Buffer.concat([head, chunk])
    const end = findHeaderEnd(head)
    if (end === undefined) {
      if (head.length > io.limits.maxReplyBytes) throw new ProtocolError(`article header longer than the limit of ${io.limits.maxReplyBytes} bytes`)
      continue
    }
    onHead({ ...pointer, headers: parseArticleHeaders(head.subarray(0, end.headerEnd)) })
    const rest = head.subarray(end.bodyStart)
    head = undefined
    if (rest.length > 0 && !(await pipe.push(rest))) break
  }
  if (head !== undefined) onHead({ ...pointer, headers: parseArticleHeaders(head) })
}
