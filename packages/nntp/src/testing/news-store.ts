/** TestArticleInput: an article for the fake server: raw text (headers, blank line, body), or fields. */
export type TestArticleInput =
  | string
  | Buffer
  | {
      subject?: string
      from?: string
      messageId?: string
      date?: string
      references?: string
      /** More headers, in order. */
      headers?: Record<string, string>
      body?: string
    }

/** TestGroupInput: a newsgroup for the fake server. */
export interface TestGroupInput {
  name: string
  description?: string
  articles?: TestArticleInput[]
  /** `y` (default), `n` (no posting) or `m` (moderated). */
  status?: string
  /** When the group was created (LIST ACTIVE.TIMES, NEWGROUPS); default 2000-01-01. */
  created?: Date
}

/** StoredArticle: one article as the fake server keeps it: wire text with CRLF, its header fields, its numbers. */
export interface StoredArticle {
  messageId: string
  raw: Buffer
  headers: Array<[string, string]>
  body: Buffer
  arrived: Date
  numbers: Map<string, number>
}

/** StoredGroup: a group with its numbered articles. */
export interface StoredGroup {
  name: string
  description: string
  status: string
  created: Date
  articles: Map<number, StoredArticle>
  next: number
}

let counter = 0

/**
 * NewsStore: the groups and articles of a fake NNTP server, in memory: numbering, message-id lookup,
 * overview and header values. Shared by all sessions of one server.
 */
export class NewsStore {
  readonly groups = new Map<string, StoredGroup>()
  readonly byMessageId = new Map<string, StoredArticle>()

  constructor(groups: readonly TestGroupInput[]) {
    for (const group of groups) {
      this.groups.set(group.name, {
        name: group.name,
        description: group.description ?? '',
        status: group.status ?? 'y',
        created: group.created ?? new Date('2000-01-01T00:00:00Z'),
        articles: new Map(),
        next: 1,
      })
      for (const article of group.articles ?? []) this.add(toWire(article, group.name))
    }
  }

  /** add: files an article under each existing group of its Newsgroups header; undefined when none exists or the id is taken. */
  add(raw: Buffer): StoredArticle | undefined {
    const { headers, body } = splitWire(raw)
    const header = (name: string): string => headers.find(([key]) => key.toLowerCase() === name)?.[1] ?? ''
    const messageId = header('message-id') || `<fake.${++counter}.${Date.now()}@netc.test>`
    if (this.byMessageId.has(messageId)) return undefined
    const groups = header('newsgroups').split(',').map((name) => name.trim()).map((name) => this.groups.get(name)).filter((group) => group !== undefined)
    if (groups.length === 0) return undefined
    const given = header('message-id') !== ''
    if (!given) headers.push(['Message-ID', messageId])
    const article: StoredArticle = { messageId, raw: given ? normalize(raw) : joinWire(headers, body), headers, body, arrived: new Date(), numbers: new Map() }
    for (const group of groups) {
      article.numbers.set(group.name, group.next)
      group.articles.set(group.next++, article)
    }
    this.byMessageId.set(messageId, article)
    return article
  }

  /** header: a header's value (unfolded), or a metadata item (`:bytes`, `:lines`). */
  header(article: StoredArticle, name: string): string {
    const key = name.toLowerCase()
    if (key === ':bytes') return String(article.raw.length)
    if (key === ':lines') return String(lineCount(article.body))
    return article.headers.find(([field]) => field.toLowerCase() === key)?.[1] ?? ''
  }

  /** overviewLine: `number\tsubject\tfrom\tdate\tmessage-id\treferences\tbytes\tlines\tXref: ...` (RFC 3977 section 8.3.2). */
  overviewLine(number: number, article: StoredArticle): string {
    const clean = (value: string): string => value.replace(/[\t\r\n]/g, ' ')
    const fields = ['subject', 'from', 'date', 'message-id', 'references', ':bytes', ':lines'].map((name) => clean(this.header(article, name)))
    const xref = [...article.numbers].map(([group, n]) => `${group}:${n}`).join(' ')
    return [String(number), ...fields, `Xref: netc.test ${xref}`].join('\t')
  }
}

function lineCount(body: Buffer): number {
  let count = 0
  for (let i = body.indexOf(0x0a); i >= 0; i = body.indexOf(0x0a, i + 1)) count++
  return count
}

/** toWire: an article input as CRLF wire text, with Newsgroups, Message-ID and Date filled in for field inputs. */
export function toWire(input: TestArticleInput, group: string): Buffer {
  if (typeof input === 'string' || Buffer.isBuffer(input)) return normalize(Buffer.from(input))
  const id = input.messageId ?? `<fake.${++counter}@netc.test>`
  const lines = [
    `From: ${input.from ?? 'Test <test@netc.test>'}`,
    `Newsgroups: ${group}`,
    `Subject: ${input.subject ?? '(no subject)'}`,
    `Date: ${input.date ?? 'Sun, 29 Nov 2026 21:00:00 +0000'}`,
    `Message-ID: ${id}`,
    ...(input.references === undefined ? [] : [`References: ${input.references}`]),
    ...Object.entries(input.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ]
  return normalize(Buffer.from(`${lines.join('\r\n')}\r\n\r\n${input.body ?? ''}`))
}

function normalize(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/\r?\n/g, '\r\n')
  return Buffer.from(text.endsWith('\r\n') || text === '' ? text : `${text}\r\n`, 'latin1')
}

function splitWire(raw: Buffer): { headers: Array<[string, string]>; body: Buffer } {
  const normal = normalize(raw)
  const end = normal.indexOf('\r\n\r\n')
  const head = (end < 0 ? normal : normal.subarray(0, end)).toString('utf8')
  const body = end < 0 ? Buffer.alloc(0) : normal.subarray(end + 4)
  const headers: Array<[string, string]> = []
  for (const line of head.split('\r\n')) {
    const last = headers[headers.length - 1]
    if (/^[ \t]/.test(line) && last !== undefined) last[1] += line
    else if (line.includes(':')) headers.push([line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()])
  }
  return { headers, body }
}

function joinWire(headers: Array<[string, string]>, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') + '\r\n', 'utf8'), body])
}
