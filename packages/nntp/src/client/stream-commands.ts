import { Command, type BodySource, type CodedReply, type ConnectionIo } from '@netc/transport'
import { assertMessageId } from '../args/nntp-arguments.ts'
import { exchange, statusText } from './block-io.ts'
import type { Pipe } from './pipe.ts'

/** FeedArticle: an article to feed: its message-id and its bytes (Buffer, string or stream). */
export interface FeedArticle {
  readonly messageId: string
  readonly article: BodySource
}

/**
 * FeedStatus: the server's verdict on one message-id (RFC 4644): `wanted` (CHECK 238), `accepted`
 * (TAKETHIS 239), `deferred` (CHECK 431: try later), `rejected` (CHECK 438, TAKETHIS 439), `error`
 * (any other 4xx/5xx).
 */
export type FeedStatus = 'wanted' | 'accepted' | 'deferred' | 'rejected' | 'error'

/** FeedResult: one answer of CHECK or TAKETHIS. */
export interface FeedResult {
  readonly messageId: string
  readonly status: FeedStatus
  readonly code: number
  readonly text: string
}

const STATUS: Readonly<Record<number, FeedStatus>> = { 238: 'wanted', 239: 'accepted', 431: 'deferred', 438: 'rejected', 439: 'rejected' }

function resultOf(messageId: string, reply: CodedReply): FeedResult {
  return { messageId, status: STATUS[reply.code] ?? 'error', code: reply.code, text: statusText(reply) }
}

/** modeStream: MODE STREAM (RFC 4644 section 2.3): `203` streaming permitted. */
export async function modeStream(io: ConnectionIo): Promise<void> {
  await exchange(io, Command.of('MODE', 'STREAM'), 203)
}

/**
 * check: CHECK for each message-id (RFC 4644 section 2.4), all in one write, the answers in order.
 *
 * ```
 * C: CHECK <a@x> / CHECK <b@x>
 * S: 238 <a@x>          (send it)
 * S: 438 <b@x>          (not wanted)
 * ```
 */
export async function check(io: ConnectionIo, messageIds: readonly string[]): Promise<FeedResult[]> {
  const commands = messageIds.map((id) => Command.of('CHECK', assertMessageId(id)))
  if (commands.length === 0) return []
  await io.send(commands)
  const results: FeedResult[] = []
  for (const id of messageIds) results.push(resultOf(id, await io.readCodedReply()))
  return results
}

/**
 * takeThis: TAKETHIS for each article (RFC 4644 section 2.5), streamed: the writer sends command and
 * article after article while up to `window` answers are outstanding, and the reader takes the answers
 * (239 accepted, 439 rejected) in order at the same time.
 *
 * ```
 * C: TAKETHIS <a@x>  (article)  .  TAKETHIS <b@x>  (article)  .
 * S: 239 <a@x>
 * S: 439 <b@x>
 * ```
 */
export async function takeThis(
  io: ConnectionIo,
  articles: Iterable<FeedArticle> | AsyncIterable<FeedArticle>,
  window: number,
  pipe: Pipe<FeedResult>,
): Promise<void> {
  const inFlight: string[] = []
  let writing = true
  let reading = true
  let wake: (() => void) | undefined
  const notify = (): void => {
    const resume = wake
    wake = undefined
    resume?.()
  }
  const pause = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve))
  const writer = async (): Promise<void> => {
    try {
      for await (const { messageId, article } of articles) {
        if (pipe.gone) break
        const command = Command.of('TAKETHIS', assertMessageId(messageId))
        while (reading && inFlight.length >= window) await pause()
        if (!reading) break
        inFlight.push(messageId)
        notify()
        await io.send(command)
        await io.writeDotBody(article)
      }
    } finally {
      writing = false
      notify()
    }
  }
  const reader = async (): Promise<void> => {
    try {
      for (;;) {
        while (writing && inFlight.length === 0) await pause()
        const messageId = inFlight[0]
        if (messageId === undefined) return
        const reply = await io.readCodedReply()
        inFlight.shift()
        notify()
        if (!pipe.gone) await pipe.push(resultOf(messageId, reply))
      }
    } finally {
      reading = false
      notify()
    }
  }
  const outcomes = await Promise.allSettled([writer(), reader()])
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason
}
