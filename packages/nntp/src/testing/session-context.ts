import type { TestSession } from '@netc/transport/testing'
import type { NewsStore, StoredArticle, StoredGroup } from './news-store.ts'

/** TestAuth: the account of the fake server (AUTHINFO USER/PASS and SASL PLAIN). */
export interface TestAuth {
  user: string
  pass: string
  /** Reading and posting need a login first (480). Default true. */
  required?: boolean
}

/** TestQuirks: old or odd server behaviour, to exercise the client's fallbacks. */
export interface TestQuirks {
  /** OVER is unknown (500): only XOVER works (RFC 2980 servers). */
  noOver?: boolean
  /** HDR is unknown (500): only XHDR works. */
  noHdr?: boolean
  /** CAPABILITIES is unknown (500), as on RFC 977 servers. */
  noCapabilities?: boolean
  /** Like INN's innd: a transit server that lists MODE-READER and reads only after MODE READER. */
  modeReader?: boolean
  /** Bytes to write after the STARTTLS go-ahead, before the handshake (an injection attack). */
  starttlsInjection?: string
}

/** SessionSettings: the resolved knobs of a fake server, shared by its sessions. */
export interface SessionSettings {
  posting: boolean
  starttls: boolean
  /** Offer COMPRESS DEFLATE (RFC 8054). */
  compress: boolean
  auth: TestAuth | undefined
  quirks: TestQuirks
  implicitTls: boolean
  /** Write a status line and its block apart, as INN does (set by the `nagle` fault, which then holds the block). */
  splitBlocks: boolean
}

/** SessionState: what one connection has done so far. */
export interface SessionState {
  group: StoredGroup | undefined
  current: number | undefined
  authenticated: boolean
  reader: boolean
  streaming: boolean
}

/** SessionContext: what a command handler of the fake server works with. */
export interface SessionContext {
  readonly session: TestSession
  readonly store: NewsStore
  readonly settings: SessionSettings
  readonly state: SessionState
}

/** reply: one status line. */
export function reply(context: SessionContext, line: string): Promise<void> {
  return context.session.writeLine(line)
}

/** replyBlock: a status line and a dot-stuffed block, in one write (RFC 3977 section 3.1.1). */
export function replyBlock(context: SessionContext, status: string, lines: readonly string[] | Buffer): Promise<void> {
  const body = Buffer.isBuffer(lines) ? stuff(lines) : Buffer.from(lines.map((line) => `${line.startsWith('.') ? '.' : ''}${line}\r\n`).join(''), 'utf8')
  const head = Buffer.from(`${status}\r\n`, 'utf8')
  if (context.settings.splitBlocks) {
    void context.session.write(head)
    return context.session.write(Buffer.concat([body, Buffer.from('.\r\n')]))
  }
  return context.session.write(Buffer.concat([head, body, Buffer.from('.\r\n')]))
}

function stuff(block: Buffer): Buffer {
  const text = block.toString('latin1').replace(/^\./gm, '..')
  return Buffer.from(text.length === 0 || text.endsWith('\r\n') ? text : `${text}\r\n`, 'latin1')
}

/**
 * readBlock: the dot-terminated block a client sends after 340/335 or TAKETHIS, unstuffed, CRLF lines;
 * undefined at EOF.
 */
export async function readBlock(context: SessionContext): Promise<Buffer | undefined> {
  const lines: string[] = []
  for (;;) {
    const line = await context.session.readLine()
    if (line === undefined) return undefined
    if (line === '.') return Buffer.from(lines.map((text) => `${text}\r\n`).join(''), context.session.encoding)
    lines.push(line.startsWith('.') ? line.slice(1) : line)
  }
}

/** articleOf: the article a number, message-id or nothing (the current one) points at, or the refusal to send. */
export function articleOf(context: SessionContext, arg: string | undefined): { number: number; article: StoredArticle } | string {
  const { state, store } = context
  if (arg !== undefined && arg.startsWith('<')) {
    const article = store.byMessageId.get(arg)
    return article === undefined ? '430 No article with that message-id' : { number: 0, article }
  }
  if (state.group === undefined) return '412 No newsgroup selected'
  if (arg === undefined) {
    const article = state.current === undefined ? undefined : state.group.articles.get(state.current)
    return article === undefined || state.current === undefined ? '420 Current article number is invalid' : { number: state.current, article }
  }
  if (!/^\d{1,16}$/.test(arg)) return '501 Syntax error'
  const number = Number(arg)
  const article = state.group.articles.get(number)
  if (article === undefined) return '423 No article with that number'
  state.current = number
  return { number, article }
}

/** numbersIn: the article numbers of the current group within a range argument (`n`, `n-`, `n-m`). */
export function numbersIn(group: StoredGroup, range: string | undefined, current: number | undefined): number[] | undefined {
  const all = [...group.articles.keys()].sort((a, b) => a - b)
  if (range === undefined) return current === undefined ? [] : all.filter((n) => n === current)
  const match = /^(\d{1,16})(-(\d{1,16})?)?$/.exec(range)
  if (match === null) return undefined
  const from = Number(match[1])
  const to = match[2] === undefined ? from : match[3] === undefined ? Number.MAX_SAFE_INTEGER : Number(match[3])
  return all.filter((n) => n >= from && n <= to)
}
