import type { Connection, ConnectionIo, RunOptions } from '@netc/transport'
import type { ArticleId } from '../args/nntp-arguments.ts'
import type { ArticleHead } from './article-commands.ts'
import { Pipe } from './pipe.ts'
import { PipeIterator } from './pipe-iterator.ts'
import { streamArticle } from './stream-article.ts'

/**
 * streamTask: runs `produce` on the connection (queued like any call) when iteration begins, and yields
 * what it hands over, with backpressure. Leaving the loop early lets the producer drain the rest of its
 * answer; the iteration ends once the connection is in step again (see `PipeIterator`).
 */
export function streamTask<T>(
  connection: Connection,
  produce: (io: ConnectionIo, pipe: Pipe<T>) => Promise<void>,
  options: RunOptions & { pipes: Set<Pipe<unknown>> },
): AsyncGenerator<T, void, undefined> {
  const pipe = new Pipe<T>()
  return new PipeIterator(pipe, {
    start: () => {
      const task = track(options.pipes, pipe, connection.run((io) => produce(io, pipe), options))
      void task.then(
        () => pipe.end(),
        (error: unknown) => pipe.fail(error),
      )
      return task
    },
  })
}

/** openArticleStream: ARTICLE, resolved once the headers are in, the body to iterate (see `streamArticle`). */
export async function openArticleStream(
  connection: Connection,
  id: ArticleId | undefined,
  options: RunOptions & { pipes: Set<Pipe<unknown>> },
): Promise<ArticleHead & { body: AsyncIterable<Buffer> }> {
  const pipe = new Pipe<Buffer>()
  let onHead: (head: ArticleHead) => void = () => undefined
  let onError: (error: unknown) => void = () => undefined
  const head = new Promise<ArticleHead>((resolve, reject) => {
    onHead = resolve
    onError = reject
  })
  const task = track(options.pipes, pipe, connection.run((io) => streamArticle(io, id, pipe, onHead), options))
  void task.then(
    () => pipe.end(),
    (error: unknown) => {
      pipe.fail(error)
      onError(error)
    },
  )
  return { ...(await head), body: pipe }
}

/** track: keeps the pipe in the client's set while its task runs, so that close() can cancel it. */
function track<T>(pipes: Set<Pipe<unknown>>, pipe: Pipe<T>, task: Promise<void>): Promise<void> {
  pipes.add(pipe)
  return task.finally(() => pipes.delete(pipe))
}
