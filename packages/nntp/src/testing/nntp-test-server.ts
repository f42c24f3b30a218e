import { TestServer, type ServerFaults, type TestCertificates, type TestSession } from '@netc/transport/testing'
import { listHandlers } from './list-handlers.ts'
import { NewsStore, type TestGroupInput } from './news-store.ts'
import { postingHandlers } from './posting-handlers.ts'
import { readerHandlers } from './reader-handlers.ts'
import { reply, type SessionContext, type SessionSettings, type TestAuth, type TestQuirks } from './session-context.ts'
import { sessionHandlers } from './session-handlers.ts'

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
  faults?: ServerFaults
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

  private constructor(server: TestServer, store: NewsStore) {
    this.server = server
    this.store = store
  }

  /** NntpTestServer.start: listens on 127.0.0.1, port 0. */
  static async start(options: NntpTestServerOptions = {}): Promise<NntpTestServer> {
    const store = new NewsStore(options.groups ?? [])
    const settings: SessionSettings = {
      posting: options.posting ?? true,
      starttls: options.starttls ?? false,
      compress: options.compress ?? false,
      auth: options.auth,
      quirks: options.quirks ?? {},
      implicitTls: options.tls === 'implicit',
    }
    const server = await TestServer.start({
      tls: options.tls ?? 'none',
      ...(options.faults === undefined ? {} : { faults: options.faults }),
      ...(options.certificates === undefined ? {} : { certificates: options.certificates }),
      onSession: (session) => serve(session, store, settings, options.greeting),
    })
    return new NntpTestServer(server, store)
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

async function serve(session: TestSession, store: NewsStore, settings: SessionSettings, greeting: string | undefined): Promise<void> {
  const context: SessionContext = {
    session,
    store,
    settings,
    state: { group: undefined, current: undefined, authenticated: false, reader: settings.quirks.modeReader !== true, streaming: false },
  }
  await session.writeLine(greeting ?? (settings.posting ? '200 netc NntpTestServer ready (posting ok)' : '201 netc NntpTestServer ready (no posting)'))
  for (let line = await session.readLine(); line !== undefined; line = await session.readLine()) {
    const [word = '', ...args] = line.split(/[ \t]+/).filter((part) => part !== '')
    const verb = word.toUpperCase()
    if (verb === 'QUIT') return reply(context, '205 Bye')
    const handler = handlers[verb]
    if (handler === undefined) await reply(context, '500 What?')
    else if (!context.state.reader && !TRANSIT.has(verb)) await reply(context, '502 Transit service only; MODE READER first')
    else if (settings.auth?.required !== false && settings.auth !== undefined && !context.state.authenticated && !OPEN.has(verb)) {
      await reply(context, '480 Authentication required')
    } else await handler(context, args)
  }
}
