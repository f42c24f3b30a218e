import { TestServer, type ServerFaults, type TestCertificates, type TestSession } from '@netc/transport/testing'
import { listHandlers } from './list-handlers.ts'
import { NewsStore, type TestGroupInput } from './news-store.ts'
import { postingHandlers } from './posting-handlers.ts'
import { readerHandlers } from './reader-handlers.ts'
import { reply, type SessionContext, type SessionSettings, type TestAuth, type TestQuirks } from './session-context.ts'
import { sessionHandlers } from './session-handlers.ts'

/**
 * NntpTestFaults: the socket-level `ServerFaults`, and a news server's ways of ending a session: an idle
 * timeout (INN's nnrpd `clienttimeout`) and a hang-up on a given command.
 */
export interface NntpTestFaults extends ServerFaults {
  /** Milliseconds a session may wait for a command; then `idleReply` (when given) and the connection closes. */
  idleTimeout?: number
  /** What the server says as it drops an idle session, e.g. `'400 Idle timeout'` (default: nothing, as nnrpd). */
  idleReply?: string
  /**
   * Called for each command line with the session's number and how many times the verb came in it (from
   * 1): a line returned is sent (e.g. `'400 Service discontinued'`) and the connection closes; `''` closes
   * it without a word.
   */
  hangUpOn?: (command: string, context: { session: number; nth: number }) => string | undefined
}

/** NntpTestServerOptions: the news the fake server holds and how it behaves. */
export interface NntpTestServerOptions {
  groups?: TestGroupInput[]
  /** Posting allowed: greeting 200 (default) or 201, and POST answers 440 when false. */
  posting?: boolean
  /** `'implicit'`: NNTPS from the first byte. Default `'none'`. */
  tls?: 'none' | 'implicit'
  /** Offer STARTTLS (RFC 4642). Default false. */
  starttls?: boolean
  /** Offer COMPRESS DEFLATE (RFC 8054). Default false. */
  compress?: boolean
  /** An account; reading needs a login unless `required: false`. */
  auth?: TestAuth
  quirks?: TestQuirks
  faults?: NntpTestFaults
  certificates?: TestCertificates
  /** The greeting line. Default `200 netc NntpTestServer ready` (or 201). */
  greeting?: string
}

type Handler = (context: SessionContext, args: string[]) => Promise<void>

const handlers: Readonly<Record<string, Handler>> = { ...readerHandlers, ...listHandlers, ...postingHandlers, ...sessionHandlers }
const OPEN = new Set(['CAPABILITIES', 'STARTTLS', 'AUTHINFO', 'COMPRESS', 'MODE', 'QUIT', 'HELP', 'DATE'])
const TRANSIT = new Set([...OPEN, 'IHAVE', 'CHECK', 'TAKETHIS', 'LIST'])

/**
 * NntpTestServer: an in-process NNTP server for tests (RFC 3977, 4642, 4643, 4644) on 127.0.0.1, port
 * 0, with groups and articles in memory: GROUP, LISTGROUP, ARTICLE, HEAD, BODY, STAT, NEXT, LAST, OVER,
 * XOVER, HDR, XHDR, LIST (ACTIVE, NEWSGROUPS, ACTIVE.TIMES, DISTRIB.PATS, OVERVIEW.FMT, HEADERS),
 * NEWGROUPS, NEWNEWS, DATE, HELP, POST, IHAVE, MODE READER, MODE STREAM, CHECK, TAKETHIS, CAPABILITIES,
 * STARTTLS, AUTHINFO USER/PASS and SASL PLAIN, COMPRESS DEFLATE. Python's nntplib works against it.
 *
 * ```ts
 * await using server = await NntpTestServer.start({ groups: [{ name: 'misc.test', articles: [{ subject: 'hi', body: 'Hello.\n' }] }] })
 * const news = await NntpClient.connect(server.url())
 * ```
 */
export class NntpTestServer implements AsyncDisposable {
  /** The underlying TestServer (sessions, errors, certificates). */
  readonly server: TestServer
  /** The groups and articles, shared by every session: inspect what was posted, or add articles. */
  readonly store: NewsStore
  #downUntil = 0

  private constructor(server: TestServer, store: NewsStore) {
    this.server = server
    this.store = store
  }

  /** True while a `restart` is under way: each new connection is dropped before the greeting. */
  get refusing(): boolean {
    return Date.now() < this.#downUntil
  }

  /**
   * restart: as a news server restarting: drops every open session now, hangs up on each new connection
   * before its greeting for `downFor` milliseconds (default 1,000), then serves again (the store is kept).
   * Resolves when it is back up.
   */
  async restart(options: { downFor?: number } = {}): Promise<void> {
    const downFor = options.downFor ?? 1000
    this.#downUntil = Date.now() + downFor
    for (const session of this.sessions) session.destroy()
    await new Promise((resolve) => setTimeout(resolve, downFor))
  }

  /** NntpTestServer.start: listens on 127.0.0.1, port 0. */
  static async start(options: NntpTestServerOptions = {}): Promise<NntpTestServer> {
    const store = new NewsStore(options.groups ?? [])
    const holder: { instance?: NntpTestServer } = {}
    const settings: SessionSettings = {
      posting: options.posting ?? true,
      starttls: options.starttls ?? false,
      compress: options.compress ?? false,
      auth: options.auth,
      quirks: options.quirks ?? {},
      implicitTls: options.tls === 'implicit',
      splitBlocks: options.faults?.nagle === true,
    }
    const server = await TestServer.start({
      tls: options.tls ?? 'none',
      ...(options.faults === undefined ? {} : { faults: options.faults }),
      ...(options.certificates === undefined ? {} : { certificates: options.certificates }),
      onSession: (session) => (holder.instance?.refusing === true ? session.destroy() : serve(session, store, settings, options)),
    })
    holder.instance = new NntpTestServer(server, store)
    return holder.instance
  }

  /** The address listened on (127.0.0.1). */
  get host(): string {
    return this.server.host
  }

  /** The port the kernel picked. */
  get port(): number {
    return this.server.port
  }

  /** The CA certificate (PEM) to pass to clients as `ca`. */
  get ca(): string {
    return this.server.ca
  }

  /** The sessions so far, each with its transcript (`received`, `sent`). */
  get sessions(): readonly TestSession[] {
    return this.server.sessions
  }

  /** url: `nntp://127.0.0.1:PORT` (or `nntps://` for implicit TLS), with credentials when given. */
  url(parts: { user?: string; pass?: string } = {}): string {
    return this.server.url(this.server.tls === 'implicit' ? 'nntps' : 'nntp', parts)
  }

  /** close: stops listening and ends every session. */
  close(): Promise<void> {
    return this.server.close()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}

async function serve(session: TestSession, store: NewsStore, settings: SessionSettings, options: NntpTestServerOptions): Promise<void> {
  const { greeting, faults = {} } = options
  const context: SessionContext = {
    session,
    store,
    settings,
    state: { group: undefined, current: undefined, authenticated: false, reader: settings.quirks.modeReader !== true, streaming: false },
  }
  await session.writeLine(greeting ?? (settings.posting ? '200 netc NntpTestServer ready (posting ok)' : '201 netc NntpTestServer ready (no posting)'))
  const counts = new Map<string, number>()
  for (let line = await nextCommand(session, faults); line !== undefined; line = await nextCommand(session, faults)) {
    const [word = '', ...args] = line.split(/[ \t]+/).filter((part) => part !== '')
    const verb = word.toUpperCase()
    const nth = (counts.get(verb) ?? 0) + 1
    counts.set(verb, nth)
    const hangUp = faults.hangUpOn?.(line, { session: session.id, nth })
    if (hangUp !== undefined) {
      if (hangUp !== '') await reply(context, hangUp)
      return session.destroy()
    }
    if (verb === 'QUIT') return reply(context, '205 Bye')
    const handler = handlers[verb]
    if (handler === undefined) await reply(context, '500 What?')
    else if (!context.state.reader && !TRANSIT.has(verb)) await reply(context, '502 Transit service only; MODE READER first')
    else if (settings.auth?.required !== false && settings.auth !== undefined && !context.state.authenticated && !OPEN.has(verb)) {
      await reply(context, '480 Authentication required')
    } else await handler(context, args)
  }
}

/** nextCommand: the next line; with `faults.idleTimeout`, a session kept waiting too long is dropped (after `idleReply`). */
async function nextCommand(session: TestSession, faults: NntpTestFaults): Promise<string | undefined> {
  const limit = faults.idleTimeout
  if (limit === undefined) return session.readLine()
  const timer = setTimeout(() => {
    const farewell = faults.idleReply === undefined ? Promise.resolve() : session.writeLine(faults.idleReply)
    farewell.then(
      () => session.destroy(),
      () => session.destroy(),
    )
  }, limit)
  try {
    return await session.readLine()
  } finally {
    clearTimeout(timer)
  }
}
