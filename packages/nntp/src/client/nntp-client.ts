import { ClosedError, Command, type BodySource, type CodedReply, type Connection, type ConnectionIo, type Expectation, type RunOptions } from '@netc/transport'
import type { ArticleId, ArticleRange } from '../args/nntp-arguments.ts'
import type { NntpCapabilities } from '../parse/parse-capabilities.ts'
import type { OverviewField } from '../parse/parse-overview-format.ts'
import type { ArticlePointer } from '../parse/parse-article-pointer.ts'
import type { GroupInfo } from '../parse/parse-group-reply.ts'
import type { HdrEntry } from '../parse/parse-hdr-line.ts'
import type { OverviewEntry } from '../parse/parse-overview-line.ts'
import type { ActiveEntry } from '../parse/parse-list-lines.ts'
import { move, retrieve, type Article, type ArticleBody, type ArticleHead, type RetrievalVerb } from './article-commands.ts'
import { exchange, readBlock } from './block-io.ts'
import { listGroup, selectGroup, type ListGroupResult } from './group-commands.ts'
import { isListVariant, readList, readListLines, type ListVariant, type ListVariants } from './list-commands.ts'
import { date, help, newGroups, newNews } from './news-commands.ts'
import { resolveNntpOptions, type NntpClientOptions } from './nntp-client-options.ts'
import { openSession } from './open-session.ts'
import { readHdrBatches, readOverviewFormat, startHdr, type CommandDialect, type OverviewFormatCache } from './overview-commands.ts'
import type { Pipe } from './pipe.ts'
import { pipelineArticles, type ArticleResult } from './pipelined-articles.ts'
import { ihave, post, type PostResult } from './post-commands.ts'
import { quit, readCapabilities } from './session-commands.ts'
import { openArticleStream, streamTask } from './stream-task.ts'
import { streamBody } from './stream-body.ts'
import { streamOverview } from './stream-overview.ts'
import { check, modeStream, takeThis, type FeedArticle, type FeedResult } from './stream-commands.ts'

/**
 * NntpState: where the session stands. `connected`: greeted (and secured as asked), not logged in.
 * `authenticated`: AUTHINFO accepted. `streaming`: MODE STREAM accepted (RFC 4644), for CHECK and
 * TAKETHIS. `closed`: after close(), destroy() or a broken connection.
 */
export type NntpState = 'connected' | 'authenticated' | 'streaming' | 'closed'

/**
 * NntpClient: an NNTP reader and feeder client (RFC 3977, 4642, 4643, 4644) over @netc/transport.
 * Calls on one client are queued and run in order; bulk reads (`overview`, `articles`, `takeThis`)
 * stream with pipelining.
 *
 * ```ts
 * await using news = await NntpClient.connect('nntps://news.example.org')
 * const group = await news.group('comp.lang.python')             // C: GROUP comp.lang.python / S: 211 ...
 * for await (const entry of news.overview({ from: group.first })) console.log(entry.number, entry.subject)
 * const article = await news.article(group.last)                // { number, messageId, headers, body }
 * ```
 */
export class NntpClient implements AsyncDisposable {
  readonly #connection: Connection
  #capabilities: NntpCapabilities
  #postingAllowed: boolean
  #authenticated: boolean
  #streaming = false
  #currentGroup: GroupInfo | undefined
  readonly #overviewFormat: OverviewFormatCache = { fields: undefined }
  readonly #dialect: CommandDialect = { over: 'OVER', hdr: 'HDR' }
  readonly #pipes = new Set<Pipe<unknown>>()

  private constructor(connection: Connection, capabilities: NntpCapabilities, postingAllowed: boolean, authenticated: boolean) {
    this.#connection = connection
    this.#capabilities = capabilities
    this.#postingAllowed = postingAllowed
    this.#authenticated = authenticated
  }

  /**
   * NntpClient.connect: opens, greets, switches to reader mode when needed, secures (STARTTLS unless
   * `tls: 'none'`) and logs in. `nntp://user:pass@host:119`, `nntps://host` (563), or options.
   */
  static async connect(target: string | URL | NntpClientOptions, options: NntpClientOptions = {}): Promise<NntpClient> {
    const session = await openSession(await resolveNntpOptions(target, options))
    return new NntpClient(session.connection, session.capabilities, session.postingAllowed, session.authenticated)
  }

  /** The session's state (see NntpState). */
  get state(): NntpState {
    if (this.#connection.closed) return 'closed'
    if (this.#streaming) return 'streaming'
    return this.#authenticated ? 'authenticated' : 'connected'
  }

  /** The capabilities, as last asked (after the greeting, MODE READER, STARTTLS and login). */
  get capabilities(): NntpCapabilities {
    return this.#capabilities
  }

  /** Whether the server allows posting: greeting or MODE READER `200` (not `201`), or POST after login. */
  get postingAllowed(): boolean {
    return this.#postingAllowed
  }

  /** True when COMPRESS DEFLATE is active (RFC 8054): the `compress` option, when the server offers it. */
  get compressed(): boolean {
    return this.#connection.compressed
  }

  /** True when the connection runs over TLS. */
  get secure(): boolean {
    return this.#connection.secure
  }

  /** The group GROUP or LISTGROUP selected last, as the server described it then. */
  get currentGroup(): GroupInfo | undefined {
    return this.#currentGroup
  }

  /** The underlying connection's reason for closing, when it broke. */
  get reason(): Error | undefined {
    return this.#connection.reason
  }

  /** refreshCapabilities: CAPABILITIES again (RFC 3977 section 5.2). */
  async refreshCapabilities(options: RunOptions = {}): Promise<NntpCapabilities> {
    this.#capabilities = await this.#run((io) => readCapabilities(io), options)
    return this.#capabilities
  }

  /** group: GROUP (RFC 3977 section 6.1.1) → `{ name, count, first, last }`. 411 throws (`isNoSuchGroup`). */
  async group(name: string, options: RunOptions = {}): Promise<GroupInfo> {
    this.#currentGroup = await this.#run((io) => selectGroup(io, name), options)
    return this.#currentGroup
  }

  /** listGroup: LISTGROUP [name [range]] (RFC 3977 section 6.1.2) → the group and its article numbers. */
  async listGroup(name?: string, range?: ArticleRange, options: RunOptions = {}): Promise<ListGroupResult> {
    const result = await this.#run((io) => listGroup(io, name, range), options)
    const { numbers: _numbers, ...group } = result
    this.#currentGroup = group
    return result
  }

  /** next: NEXT (RFC 3977 section 6.1.4) → `{ number, messageId }`. 421 throws (`isNoCurrentArticle`). */
  next(options: RunOptions = {}): Promise<ArticlePointer> {
    return this.#run((io) => move(io, 'NEXT'), options)
  }

  /** last: LAST (RFC 3977 section 6.1.3) → `{ number, messageId }`. 422 throws. */
  last(options: RunOptions = {}): Promise<ArticlePointer> {
    return this.#run((io) => move(io, 'LAST'), options)
  }

  /** article: ARTICLE by number, message-id or the current one (RFC 3977 section 6.2.1). 423/430 throw (`isNoSuchArticle`). */
  article(id?: ArticleId, options: RunOptions = {}): Promise<Article> {
    return this.#retrieve('ARTICLE', id, options)
  }

  /** head: HEAD (RFC 3977 section 6.2.2) → `{ number, messageId, headers }`. */
  async head(id?: ArticleId, options: RunOptions = {}): Promise<ArticleHead> {
    const { number, messageId, headers } = await this.#retrieve('HEAD', id, options)
    return { number, messageId, headers }
  }

  /** body: BODY (RFC 3977 section 6.2.3) → `{ number, messageId, body }` (a Buffer, CRLF, unstuffed). */
  async body(id?: ArticleId, options: RunOptions = {}): Promise<ArticleBody> {
    const { number, messageId, body } = await this.#retrieve('BODY', id, options)
    return { number, messageId, body }
  }

  /** stat: STAT (RFC 3977 section 6.2.4) → `{ number, messageId }`; 423/430 throw. */
  async stat(id?: ArticleId, options: RunOptions = {}): Promise<ArticlePointer> {
    const { number, messageId } = await this.#retrieve('STAT', id, options)
    return { number, messageId }
  }

  /**
   * bodyStream: BODY, the body streamed chunk by chunk (constant memory for any size). Nothing else runs
   * on the connection until the iteration ends; leaving it early drains the rest. 423/430 throw from
   * the first step.
   */
  bodyStream(id?: ArticleId, options: RunOptions = {}): AsyncGenerator<Buffer, void, undefined> {
    return this.#stream<Buffer>((io, pipe) => streamBody(io, id, pipe), options)
  }

  /**
   * articleStream: ARTICLE, resolved once the headers are in: `{ number, messageId, headers, body }` with
   * the body an async iterable of chunks (constant memory). Iterate the body to its end (or leave the loop):
   * the connection is busy until then. 423/430 reject the call.
   */
  articleStream(id?: ArticleId, options: RunOptions = {}): Promise<ArticleHead & { body: AsyncIterable<Buffer> }> {
    return openArticleStream(this.#connection, id, { ...options, pipes: this.#pipes })
  }

  /**
   * overview: OVER (XOVER after a 500) over a range, a message-id or the current article (RFC 3977
   * section 8.3), streamed line by line, parsed with LIST OVERVIEW.FMT (asked once, pipelined with the
   * first OVER). A range of more than 2,000 numbers is asked for in pipelined parts, an open one up to the
   * selected group's last number and then from the next one on (see `streamOverview`).
   */
  overview(range?: ArticleRange | string, options: RunOptions = {}): AsyncGenerator<OverviewEntry, void, undefined> {
    return this.#stream<OverviewEntry>((io, pipe) => streamOverview(io, this.#dialect, range, this.#overviewFormat, pipe, this.#currentGroup?.last), options)
  }

  /** overviewFormat: the overview fields, from LIST OVERVIEW.FMT (RFC 3977 section 8.4), asked once; the RFC's seven when refused. */
  overviewFormat(options: RunOptions = {}): Promise<readonly OverviewField[]> {
    const known = this.#overviewFormat.fields
    if (known !== undefined) return Promise.resolve(known)
    return this.#run(async (io) => {
      if (this.#overviewFormat.fields === undefined) {
        await io.send(Command.of('LIST', 'OVERVIEW.FMT'))
        this.#overviewFormat.fields = await readOverviewFormat(io)
      }
      return this.#overviewFormat.fields
    }, options)
  }

  /** hdr: HDR (XHDR after a 500) for one header or metadata item (RFC 3977 section 8.5), streamed. */
  hdr(field: string, range?: ArticleRange | string, options: RunOptions = {}): AsyncGenerator<HdrEntry, void, undefined> {
    return this.#stream<HdrEntry>(async (io, pipe) => {
      await startHdr(io, this.#dialect, field, range)
      for await (const entries of readHdrBatches(io)) if (!(await pipe.pushAll(entries))) break
    }, options)
  }

  /** list: LIST `variant` [wildmat or argument] (RFC 3977 section 7.6), parsed; other keywords give raw lines. */
  list<V extends ListVariant>(variant: V, argument?: string, options?: RunOptions): Promise<Array<ListVariants[V]>>
  list(keyword: string, argument?: string, options?: RunOptions): Promise<string[]>
  list(keyword: string, argument?: string, options: RunOptions = {}): Promise<unknown[]> {
    const word = keyword.toUpperCase()
    return this.#run((io) => (isListVariant(word) ? readList(io, word, argument) : readListLines(io, word, argument)), options)
  }

  /** newGroups: NEWGROUPS since a date (RFC 3977 section 7.3). */
  newGroups(since: Date, options: RunOptions = {}): Promise<ActiveEntry[]> {
    return this.#run((io) => newGroups(io, since), options)
  }

  /** newNews: NEWNEWS wildmat since a date (RFC 3977 section 7.4) → message-ids. */
  newNews(wildmat: string, since: Date, options: RunOptions = {}): Promise<string[]> {
    return this.#run((io) => newNews(io, wildmat, since), options)
  }

  /** date: DATE (RFC 3977 section 7.1) → the server's clock. */
  date(options: RunOptions = {}): Promise<Date> {
    return this.#run((io) => date(io), options)
  }

  /** help: HELP (RFC 3977 section 7.2) → its lines. */
  help(options: RunOptions = {}): Promise<string[]> {
    return this.#run((io) => help(io), options)
  }

  /** post: POST (RFC 3977 section 6.3.1) from a Buffer, string or stream, dot-stuffed and CRLF-normalised. */
  post(article: BodySource, options: RunOptions = {}): Promise<PostResult> {
    return this.#run((io) => post(io, article), options)
  }

  /** ihave: IHAVE (RFC 3977 section 6.3.2). 435/436/437 throw NntpReplyError. */
  ihave(messageId: string, article: BodySource, options: RunOptions = {}): Promise<PostResult> {
    return this.#run((io) => ihave(io, messageId, article), options)
  }

  /**
   * articles: ARTICLE (or `verb`) for many numbers or message-ids, pipelined with up to `window` (64)
   * commands in flight; results come in order, one per id, failures (423/430) reported per item.
   */
  articles(
    ids: Iterable<ArticleId> | AsyncIterable<ArticleId>,
    options: RunOptions & { window?: number; verb?: RetrievalVerb } = {},
  ): AsyncGenerator<ArticleResult, void, undefined> {
    const window = Math.max(1, Math.floor(options.window ?? 64))
    return this.#stream<ArticleResult>((io, pipe) => pipelineArticles(io, ids, { verb: options.verb ?? 'ARTICLE', window }, pipe), options)
  }

  /** modeStream: MODE STREAM (RFC 4644 section 2.3); the session is `streaming` afterwards. */
  async modeStream(options: RunOptions = {}): Promise<void> {
    await this.#run((io) => modeStream(io), options)
    this.#streaming = true
  }

  /** check: CHECK each message-id (RFC 4644 section 2.4), pipelined → wanted / deferred / rejected. */
  check(messageIds: readonly string[], options: RunOptions = {}): Promise<FeedResult[]> {
    return this.#run((io) => check(io, messageIds), options)
  }

  /** takeThis: TAKETHIS each article (RFC 4644 section 2.5), streamed with `window` (64) answers outstanding. */
  takeThis(
    articles: Iterable<FeedArticle> | AsyncIterable<FeedArticle>,
    options: RunOptions & { window?: number } = {},
  ): AsyncGenerator<FeedResult, void, undefined> {
    const window = Math.max(1, Math.floor(options.window ?? 64))
    return this.#stream<FeedResult>((io, pipe) => takeThis(io, articles, window, pipe), options)
  }

  /**
   * execute: one command of your own (`Command.of('XPAT', ...)`) → its reply, checked against `expect`
   * (any 2xx by default); `block: true` also reads the multi-line block that follows.
   */
  execute(command: Command, options: RunOptions & { expect?: Expectation; block?: boolean } = {}): Promise<{ reply: CodedReply; lines: string[] }> {
    return this.#run(async (io) => {
      const reply = await exchange(io, command, options.expect ?? 2, { block: options.block === true })
      return { reply, lines: options.block === true ? await readBlock(io) : [] }
    }, options)
  }

  /**
   * close: QUIT (RFC 3977 section 5.4) after the queued calls, then closes the connection. Iterations
   * still open (overview, articles, bodies) are cancelled first. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#connection.closed) return
    // A loop left waiting (neither finished nor left) must not hold QUIT back: it is cancelled and drained.
    for (const pipe of this.#pipes) pipe.cancel(new ClosedError('the client was closed during the iteration'))
    try {
      await this.#connection.run((io) => quit(io))
    } catch {
      // The server may hang up on QUIT before its 205: the connection closes either way.
    }
    await this.#connection.close()
  }

  /** destroy: drops the connection now; pending calls reject with ClosedError. */
  destroy(reason?: Error): void {
    this.#connection.destroy(reason)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  #run<T>(task: (io: ConnectionIo) => Promise<T>, options: RunOptions): Promise<T> {
    return this.#connection.run(task, options)
  }

  #retrieve(verb: RetrievalVerb, id: ArticleId | undefined, options: RunOptions): Promise<Article> {
    return this.#run((io) => retrieve(io, verb, id), options)
  }

  #stream<T>(produce: (io: ConnectionIo, pipe: Pipe<T>) => Promise<void>, options: RunOptions): AsyncGenerator<T, void, undefined> {
    return streamTask(this.#connection, produce, { ...options, pipes: this.#pipes })
  }
}

