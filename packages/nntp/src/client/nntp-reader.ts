import { ClosedError, ConnectionError, ReplyError, TimeoutError, type RunOptions } from '@netc/transport'
import type { ArticleId, ArticleRange } from '../args/nntp-arguments.ts'
import { NntpReplyCode } from '../nntp-reply-error.ts'
import type { GroupInfo } from '../parse/parse-group-reply.ts'
import type { HdrEntry } from '../parse/parse-hdr-line.ts'
import type { OverviewEntry } from '../parse/parse-overview-line.ts'
import type { ArticlePointer } from '../parse/parse-article-pointer.ts'
import type { Article, ArticleBody, ArticleHead } from './article-commands.ts'
import type { ListVariant, ListVariants } from './list-commands.ts'
import { NntpClient } from './nntp-client.ts'
import type { NntpClientOptions } from './nntp-client-options.ts'
import { reconnectDelay, resolveReconnect, sleep, type NntpReconnectOptions } from './reconnect-backoff.ts'

/** NntpReaderOptions: the client's options, how to reconnect, and who to tell. */
export interface NntpReaderOptions extends NntpClientOptions {
  reconnect?: NntpReconnectOptions
  /** Called after each reconnection (logged in, MODE READER and GROUP again), with the error that caused it. */
  onReconnect?: (event: { reconnects: number; error: unknown }) => void
}

/**
 * NntpReader: a long-lived NNTP reader that survives its server: when the connection is closed under it
 * (an idle timeout, `400 Service discontinued`, EOF, a reset, a restart), it connects again with a
 * bounded, jittered backoff (`reconnect`), logs in and re-enters MODE READER and the current group as
 * `NntpClient.connect` and `group` did, then asks again. Only idempotent reads are asked again (GROUP,
 * ARTICLE/HEAD/BODY/STAT by number or message-id, OVER, HDR, LIST, DATE); an `overview` or `hdr` cut
 * off midway resumes after the last article it gave. Everything else (POST, IHAVE, TAKETHIS, NEXT/LAST)
 * goes through `reader.client`, the current connection, and is never repeated.
 *
 * ```ts
 * await using news = await NntpReader.connect('nntps://news.example.org', { reconnect: { maxAttempts: 6 } })
 * await news.group('comp.lang.python')             // C: GROUP comp.lang.python
 * // ... an hour later the server has dropped the idle connection:
 * await news.article(123)                          // reconnects, GROUP comp.lang.python, ARTICLE 123
 * ```
 */
export class NntpReader implements AsyncDisposable {
  readonly #target: string | URL | NntpClientOptions
  readonly #options: NntpClientOptions
  readonly #policy: Required<NntpReconnectOptions>
  readonly #onReconnect: NntpReaderOptions['onReconnect']
  #client: NntpClient
  #opening: Promise<NntpClient> | undefined
  #group: string | undefined
  #closed = false
  #reconnects = 0

  private constructor(target: string | URL | NntpClientOptions, options: NntpClientOptions, policy: Required<NntpReconnectOptions>, reader: NntpReaderOptions, client: NntpClient) {
    this.#target = target
    this.#options = options
    this.#policy = policy
    this.#onReconnect = reader.onReconnect
    this.#client = client
  }

  /** NntpReader.connect: the first connection as `NntpClient.connect` opens it (its failure is thrown at once). */
  static async connect(target: string | URL | NntpReaderOptions, options: NntpReaderOptions = {}): Promise<NntpReader> {
    const split = (all: NntpReaderOptions): [NntpReaderOptions, NntpClientOptions] => {
      const { reconnect, onReconnect, ...client } = all
      return [{ reconnect, onReconnect }, client]
    }
    const [fromTarget, targetOptions] = typeof target === 'string' || target instanceof URL ? [{}, target] : split(target)
    const [fromOptions, clientOptions] = split(options)
    const reader = { ...fromTarget, ...Object.fromEntries(Object.entries(fromOptions).filter(([, value]) => value !== undefined)) }
    const policy = resolveReconnect(reader.reconnect)
    const client = await NntpClient.connect(targetOptions, clientOptions)
    return new NntpReader(targetOptions, clientOptions, policy, reader, client)
  }

  /** The current connection: for what is never asked twice (post, ihave, next, last, ...). Replaced on reconnection. */
  get client(): NntpClient {
    return this.#client
  }

  /** Reconnections so far. */
  get reconnects(): number {
    return this.#reconnects
  }

  /** The group selected last, as the server described it then. */
  get currentGroup(): GroupInfo | undefined {
    return this.#client.currentGroup
  }

  /** group: GROUP (RFC 3977 section 6.1.1); selected again after each reconnection. */
  async group(name: string, options: RunOptions = {}): Promise<GroupInfo> {
    const group = await this.#call((client) => client.group(name, options), options)
    this.#group = name
    return group
  }

  /** article: ARTICLE by number (in the current group) or message-id (RFC 3977 section 6.2.1). */
  article(id: ArticleId, options: RunOptions = {}): Promise<Article> {
    return this.#call((client) => client.article(id, options), options)
  }

  /** head: HEAD (RFC 3977 section 6.2.2). */
  head(id: ArticleId, options: RunOptions = {}): Promise<ArticleHead> {
    return this.#call((client) => client.head(id, options), options)
  }

  /** body: BODY (RFC 3977 section 6.2.3). */
  body(id: ArticleId, options: RunOptions = {}): Promise<ArticleBody> {
    return this.#call((client) => client.body(id, options), options)
  }

  /** stat: STAT (RFC 3977 section 6.2.4). */
  stat(id: ArticleId, options: RunOptions = {}): Promise<ArticlePointer> {
    return this.#call((client) => client.stat(id, options), options)
  }

  /** list: LIST `variant` [argument] (RFC 3977 section 7.6), as `NntpClient.list`. */
  list<V extends ListVariant>(variant: V, argument?: string, options: RunOptions = {}): Promise<Array<ListVariants[V]>> {
    return this.#call((client) => client.list(variant, argument, options), options)
  }

  /** date: DATE (RFC 3977 section 7.1). */
  date(options: RunOptions = {}): Promise<Date> {
    return this.#call((client) => client.date(options), options)
  }

  /** overview: OVER over a range or a message-id (RFC 3977 section 8.3), streamed; resumes after the last entry when cut off. */
  overview(range: ArticleRange | string, options: RunOptions = {}): AsyncGenerator<OverviewEntry, void, undefined> {
    return this.#resumable(range, (client, rest) => client.overview(rest, options), options)
  }

  /** hdr: HDR for one header over a range or a message-id (RFC 3977 section 8.5), streamed; resumes when cut off. */
  hdr(field: string, range: ArticleRange | string, options: RunOptions = {}): AsyncGenerator<HdrEntry, void, undefined> {
    return this.#resumable(range, (client, rest) => client.hdr(field, rest, options), options)
  }

  /** close: QUIT on the current connection; no reconnection after it. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    await this.#opening?.catch(() => undefined)
    await this.#client.close()
  }

  /** destroy: drops the connection now; no reconnection after it. */
  destroy(reason?: Error): void {
    this.#closed = true
    this.#client.destroy(reason)
  }

  /** `await using reader = await NntpReader.connect(...)`: `close()` at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  /** Runs `read` on the current connection, reconnecting and asking again while the connection is what failed. */
  async #call<T>(read: (client: NntpClient) => Promise<T>, options: RunOptions): Promise<T> {
    for (let failures = 0; ; ) {
      let client: NntpClient | undefined
      try {
        client = await this.#current(failures, options.signal)
        return await read(client)
      } catch (error) {
        failures = this.#failed(client, error, failures)
      }
    }
  }

  async *#resumable<T extends { number: number }>(
    range: ArticleRange | string,
    stream: (client: NntpClient, rest: ArticleRange | string) => AsyncGenerator<T, void, undefined>,
    options: RunOptions,
  ): AsyncGenerator<T, void, undefined> {
    let rest: ArticleRange | string | undefined = range
    for (let failures = 0; rest !== undefined; ) {
      let client: NntpClient | undefined
      let yielding = false
      try {
        client = await this.#current(failures, options.signal)
        for await (const entry of stream(client, rest)) {
          rest = rest === undefined ? undefined : resumeAfter(rest, entry.number)
          failures = 0
          yielding = true // an error thrown in by the caller at this yield is the caller's, not the wire's
          yield entry
          yielding = false
        }
        return
      } catch (error) {
        if (yielding) throw error
        failures = this.#failed(client, error, failures)
      }
    }
  }

  /** The failure count after `error`; throws it when it is not the connection's, or the tries are spent. */
  #failed(client: NntpClient | undefined, error: unknown, failures: number): number {
    if (this.#closed || !isReconnectable(error) || failures + 1 >= this.#policy.maxAttempts) throw error
    if (client !== undefined && client === this.#client) client.destroy(error instanceof Error ? error : undefined)
    return failures + 1
  }

  /** The open connection, or a new one (one attempt shared by concurrent calls) after `reconnectDelay(failures)`. */
  #current(failures: number, signal: AbortSignal | undefined): Promise<NntpClient> {
    if (this.#client.state !== 'closed') return Promise.resolve(this.#client)
    if (this.#closed) return Promise.reject(new ClosedError('the reader was closed'))
    this.#opening ??= this.#reopen(failures, signal).finally(() => {
      this.#opening = undefined
    })
    return this.#opening
  }

  async #reopen(failures: number, signal: AbortSignal | undefined): Promise<NntpClient> {
    const cause = this.#client.reason
    await sleep(reconnectDelay(failures, this.#policy), signal)
    if (this.#closed) throw new ClosedError('the reader was closed')
    const client = await NntpClient.connect(this.#target, this.#options)
    try {
      if (this.#group !== undefined) await client.group(this.#group, { signal })
    } catch (error) {
      client.destroy(error instanceof Error ? error : undefined)
      throw error
    }
    this.#client = client
    this.#reconnects++
    this.#onReconnect?.({ reconnects: this.#reconnects, error: cause })
    return client
  }
}

/**
 * isReconnectable: the connection failed, not the request: EOF, reset, a timeout, a closed connection, or
 * `400` (RFC 3977 section 3.2.1: the server is going away, as on an idle timeout or a shutdown).
 */
export function isReconnectable(error: unknown): boolean {
  if (ReplyError.isInstance(error)) return error.replyCode === NntpReplyCode.serviceDiscontinued
  return ConnectionError.isInstance(error) || ClosedError.isInstance(error) || TimeoutError.isInstance(error)
}

/** resumeAfter: what is left of `range` once `number` came; undefined when nothing is (a message-id or one number gives one entry). */
function resumeAfter(range: ArticleRange | string, number: number): ArticleRange | undefined {
  if (typeof range === 'string' || typeof range === 'number') return undefined
  if (range.to !== undefined && number >= range.to) return undefined
  return { from: number + 1, to: range.to }
}
