import { Command, type BodySource, type ConnectionIo } from '@netc/transport'
import { assertMessageId } from '../args/nntp-arguments.ts'
import { exchange, statusText } from './block-io.ts'

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
  await exchange(io, Command.of('POST'), 340)
  await io.writeDotBody(article)
  const reply = io.expect(await io.readCodedReply(), 240, Command.of('POST'))
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
  const command = Command.of('IHAVE', assertMessageId(messageId))
  await exchange(io, command, 335)
  await io.writeDotBody(article)
  const reply = io.expect(await io.readCodedReply(), 235, command)
  return { code: reply.code, text: statusText(reply), messageId }
}
