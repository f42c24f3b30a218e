import { InvalidArgumentError, type Command, type ConnectionIo } from '@netc/transport'
import type { ArticleId } from '../args/nntp-arguments.ts'
import { NntpReplyError } from '../nntp-reply-error.ts'
import { readArticleReply, retrievalCodes, retrievalCommand, type Article, type RetrievalVerb } from './article-commands.ts'
import type { Pipe } from './pipe.ts'

/**
 * ArticleResult: one item of `articles()`: the article, or why this one could not be had (a 423 or 430
 * as NntpReplyError, an invalid id as InvalidArgumentError); the others are not affected.
 */
export type ArticleResult =
  | { readonly id: ArticleId; readonly ok: true; readonly article: Article }
  | { readonly id: ArticleId; readonly ok: false; readonly error: NntpReplyError | InvalidArgumentError }

interface Pending {
  id: ArticleId
  command: Command | undefined
  error?: InvalidArgumentError
}

/**
 * pipelineArticles: ARTICLE (or HEAD, BODY, STAT) for many articles with up to `window` commands in
 * flight: the first window goes out in one write; afterwards, whenever the replies already received have
 * been read and the reader is about to wait for the network, the commands answered meanwhile are
 * replaced, again in one write. Writing at that moment also carries the ACK the server waits for: INN
 * writes status line and article separately with Nagle on, and a client that stays silent until half its
 * window is answered pays a delayed ACK (about 40 ms) per batch, as a waiting client pays it per article.
 *
 * ```
 * C: ARTICLE 1 / ARTICLE 2 / ARTICLE 3       (one write)
 * S: 220 1 <a@x> ... .  423 No such article number 2  220 3 <c@x> ... .
 * ```
 * When the consumer leaves, no new command is sent and the replies in flight are drained.
 */
export async function pipelineArticles(
  io: ConnectionIo,
  ids: Iterable<ArticleId> | AsyncIterable<ArticleId>,
  options: { verb: RetrievalVerb; window: number },
  pipe: Pipe<ArticleResult>,
): Promise<void> {
  const source = toAsyncIterator(ids)
  const queue: Pending[] = []
  let exhausted = false
  let done = false
  let scheduled = false
  let refilling: Promise<void> = Promise.resolve()
  const refill = async (): Promise<void> => {
    const batch: Command[] = []
    while (!exhausted && !pipe.gone && queue.length < options.window) {
      const next = await source.next()
      if (next.done === true) exhausted = true
      else queue.push(pendingOf(options.verb, next.value, batch))
    }
    if (batch.length > 0) await io.send(batch)
  }
  // Refills run one after another, so that commands go on the wire in the order of the queue.
  const enqueueRefill = (): Promise<void> => {
    refilling = refilling.then(refill)
    refilling.catch(() => undefined) // awaited below; this only keeps it from being reported unhandled
    return refilling
  }
  // After the buffered replies are read (microtasks), before the next network wait (a macrotask).
  const schedule = (): void => {
    if (scheduled || exhausted || pipe.gone) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      if (!done) void enqueueRefill()
    })
  }
  try {
    await enqueueRefill()
    for (;;) {
      if (queue.length === 0) {
        await enqueueRefill()
        if (queue.length === 0) break
      }
      const result = await readResult(io, options.verb, queue.shift() as Pending)
      if (!pipe.gone) await pipe.push(result)
      schedule()
    }
  } finally {
    done = true
    await refilling.catch(() => undefined)
  }
  await refilling
  if (pipe.gone) await source.return?.()
}

function pendingOf(verb: RetrievalVerb, id: ArticleId, batch: Command[]): Pending {
  try {
    const command = retrievalCommand(verb, id)
    batch.push(command)
    return { id, command }
  } catch (error) {
    if (!InvalidArgumentError.isInstance(error)) throw error
    return { id, command: undefined, error }
  }
}

async function readResult(io: ConnectionIo, verb: RetrievalVerb, pending: Pending): Promise<ArticleResult> {
  const { id, command } = pending
  if (command === undefined) return { id, ok: false, error: pending.error as InvalidArgumentError }
  const reply = await io.readCodedReply()
  if (reply.code >= 400 && reply.code < 600) {
    return { id, ok: false, error: new NntpReplyError({ replyCode: reply.code, lines: reply.lines, command: command.toLog() }) }
  }
  io.expect(reply, retrievalCodes[verb], command)
  return { id, ok: true, article: await readArticleReply(io, verb, reply) }
}

function toAsyncIterator<T>(source: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]()
  const iterator = source[Symbol.iterator]()
  return {
    next: async () => iterator.next(),
    return: async () => iterator.return?.() ?? { done: true, value: undefined },
  }
}
