import { Command, encodeDotBody, type BodySource, type CodedReply, type ConnectionIo } from '@netc/transport'
import { assertMessageId } from '../args/nntp-arguments.ts'
import { statusText } from './block-io.ts'

/** PostResult: the server's final word on a posted or offered article. */
export interface PostResult {
  /** 240 (POST) or 235 (IHAVE). */
  readonly code: number
  /** The reply text, e.g. `Article received <a@b>`. */
  readonly text: string
  /** The message-id in the reply text, when the server named one (INN does). */
  readonly messageId: string | undefined
}

const messageIdIn = (text: string): string | undefined => /<[^\s<>]+>/.exec(text)?.[0]

/** Bodies in memory up to this size are encoded while the server prepares its go-ahead; larger ones stream. */
const PREPARED_MAX_BYTES = 64 * 1024

/**
 * prepareBody: the wire form of a body in memory of up to 64 KiB (dot-stuffed, CRLF lines, terminator),
 * the bytes `writeDotBody` would write; undefined for a larger body or a stream.
 */
function prepareBody(article: BodySource): Buffer | undefined {
  if (typeof article === 'string') return article.length <= PREPARED_MAX_BYTES ? encodeDotBody(Buffer.from(article, 'utf8')) : undefined
  if (article instanceof Uint8Array) return article.length <= PREPARED_MAX_BYTES ? encodeDotBody(article) : undefined
  return undefined
}

/**
 * sendArticle: the dialogue of POST and IHAVE: the command, the go-ahead (`340`/`335`), the article,
 * the final reply. A small article is encoded after the command is written, while the server prepares
 * its go-ahead, so that between that reply and the article only the write is left (one article after
 * another, the client's time between a reply and its next write is what it adds to the server's).
 */
async function sendArticle(io: ConnectionIo, command: Command, goAhead: number, done: number, article: BodySource): Promise<CodedReply> {
  // Owed DATE answers (the ACK clock of the reads, see `exchange`) are released by the command's first byte.
  await io.sendReleasingOwed(command)
  const prepared = prepareBody(article)
  io.expect(await io.readCodedReply(), goAhead, command)
  if (prepared === undefined) await io.writeDotBody(article)
  else await io.write(prepared)
  return io.expect(await io.readCodedReply(), done, command)
}

const POST = Command.of('POST')

/**
 * post: POST (RFC 3977 section 6.3.1): `340`, the article dot-stuffed and CRLF-normalised, `240`.
 * 440 (posting not permitted) and 441 (posting failed) throw NntpReplyError.
 *
 * ```
 * C: POST
 * S: 340 Input article; end with <CR-LF>.<CR-LF>
 * C: From: ...  (the article)  .
 * S: 240 Article received <a@b>
 * ```
 */
export async function post(io: ConnectionIo, article: BodySource): Promise<PostResult> {
  const reply = await sendArticle(io, POST, 340, 240, article)
  const text = statusText(reply)
  return { code: reply.code, text, messageId: messageIdIn(text) }
}

/**
 * ihave: IHAVE (RFC 3977 section 6.3.2): offers an article by message-id; `335` sends it, `235`
 * accepts it. 435 (not wanted), 436 (try later) and 437 (rejected) throw NntpReplyError.
 *
 * ```
 * C: IHAVE <a@b>
 * S: 335 Send it
 * C: (the article) .
 * S: 235 Article transferred OK
 * ```
 */
export async function ihave(io: ConnectionIo, messageId: string, article: BodySource): Promise<PostResult> {
  const reply = await sendArticle(io, Command.of('IHAVE', assertMessageId(messageId)), 335, 235, article)
  return { code: reply.code, text: statusText(reply), messageId }
}
