import { once } from 'node:events'
import { connect } from 'node:net'
import { createInterface } from 'node:readline'

/** An article to build with {@link makeArticle}. */
export interface ArticleInput {
  readonly newsgroups: string
  readonly subject: string
  readonly body: string
  readonly from?: string
  /** `<...>`; a unique one is made when absent. */
  readonly messageId?: string
  readonly date?: Date
  readonly headers?: Readonly<Record<string, string>>
}

/** An article as bytes on the wire (CRLF lines, not yet dot-stuffed), with its Message-ID. */
export interface Article {
  readonly messageId: string
  readonly text: Buffer
}

/** What the server said to each article of a feed. */
export interface FeedResult {
  /** Message-IDs that innd took (239). */
  readonly accepted: string[]
  /** Message-IDs refused, with innd's reply (439 duplicate, bad header, unknown group...). */
  readonly rejected: { messageId: string; reply: string }[]
}

let articleCounter = 0

/** Builds a feedable article with Path, From, Newsgroups, Subject, Date and Message-ID headers. */
export function makeArticle(input: ArticleInput): Article {
  const messageId = input.messageId ?? `<netc-${process.pid}-${Date.now()}-${++articleCounter}@harness.localdomain>`
  const headers: Record<string, string> = {
    Path: 'netc-feeder!not-for-mail',
    From: input.from ?? 'Harness Feeder <feeder@harness.localdomain>',
    Newsgroups: input.newsgroups,
    Subject: input.subject,
    Date: (input.date ?? new Date()).toUTCString(),
    'Message-ID': messageId,
    ...input.headers,
  }
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`)
  const body = input.body.replace(/\r?\n/g, '\r\n').replace(/(?<!\r\n)$/, '\r\n')
  return { messageId, text: Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`) }
}

/** Reads the Message-ID header of a raw article. */
function messageIdOf(text: Buffer): string {
  const head = text.toString('latin1').split(/\r?\n\r?\n/, 1)[0] ?? ''
  const match = /^Message-ID:[ \t]*(<[^>\s]+>)/im.exec(head)
  if (!match?.[1]) throw new Error('feed: an article has no Message-ID header')
  return match[1]
}

/** CRLF line ends, dot-stuffing and the terminating `.` line (RFC 3977 section 3.1.1). */
function toWireBody(text: Buffer): Buffer {
  const normalised = text.toString('latin1').replace(/\r?\n/g, '\r\n').replace(/(?<!\r\n)$/, '\r\n')
  const stuffed = normalised.replace(/^\./gm, '..')
  return Buffer.from(`${stuffed}.\r\n`, 'latin1')
}

/**
 * Feeds articles to innd as its feeding peer: connects from `localAddress` (127.0.0.2, the only peer in
 * incoming.conf), MODE STREAM, then TAKETHIS for each article, pipelined (RFC 4644). Test tooling, not netc.
 */
export async function feedArticles(port: number, localAddress: string, articles: readonly (Article | Buffer | string)[]): Promise<FeedResult> {
  const socket = connect({ host: '127.0.0.1', port, localAddress })
  socket.setNoDelay(true)
  socket.setTimeout(60_000, () => socket.destroy(new Error('feed: no reply within 60 s')))
  const lines = createInterface({ input: socket, crlfDelay: Infinity })[Symbol.asyncIterator]()
  const readLine = async (): Promise<string> => {
    const next = await lines.next()
    if (next.done) throw new Error('feed: innd closed the connection')
    return next.value
  }
  try {
    await once(socket, 'connect')
    const greeting = await readLine()
    if (!greeting.startsWith('200') && !greeting.startsWith('201')) throw new Error(`feed: greeting ${greeting}`)
    socket.write('MODE STREAM\r\n')
    const mode = await readLine()
    if (!mode.startsWith('203')) throw new Error(`feed: MODE STREAM answered ${mode} (is ${localAddress} the feeding peer?)`)
    const prepared = articles.map((article) => {
      const text = Buffer.isBuffer(article) ? article : typeof article === 'string' ? Buffer.from(article) : article.text
      const messageId = Buffer.isBuffer(article) || typeof article === 'string' ? messageIdOf(text) : article.messageId
      return { messageId, wire: Buffer.concat([Buffer.from(`TAKETHIS ${messageId}\r\n`), toWireBody(text)]) }
    })
    const result: FeedResult = { accepted: [], rejected: [] }
    const replies = (async () => {
      for (const { messageId } of prepared) {
        const reply = await readLine()
        if (reply.startsWith('239')) result.accepted.push(messageId)
        else result.rejected.push({ messageId, reply })
      }
    })()
    replies.catch(() => undefined) // awaited below; this only keeps an early failure from going unhandled
    for (const { wire } of prepared) {
      if (!socket.write(wire)) await once(socket, 'drain')
    }
    await replies
    socket.write('QUIT\r\n')
    await readLine().catch(() => '')
    return result
  } finally {
    socket.destroy()
  }
}
