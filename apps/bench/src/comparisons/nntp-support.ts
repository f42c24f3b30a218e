/**
 * Helpers of the NNTP comparisons: the articles they feed and post, the digests the contenders print, and a
 * minimal raw NNTP session that `verify` uses to read back what was posted (not netc, so that netc is not
 * checked with itself).
 */
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { makeArticle, type Article } from '@netc/harness'

/** The contender scripts (plain ESM for node, Python 3.11 for nntplib). */
export const netcScript = fileURLToPath(new URL('../../contenders/nntp/netc.mjs', import.meta.url))
export const nntplibScript = fileURLToPath(new URL('../../contenders/nntp/nntplib_client.py', import.meta.url))
export const rawOverScript = fileURLToPath(new URL('../../contenders/nntp/raw-over.mjs', import.meta.url))
/** The POST floor: plain node:net, no library. */
export const rawPostScript = fileURLToPath(new URL('../../contenders/nntp/raw-post.mjs', import.meta.url))
export const python = '/usr/bin/python3'

/**
 * articleBody: `lines` CRLF lines of about 72 characters; every seventh starts with a dot, so that
 * dot-stuffing is exercised both ways.
 */
export function articleBody(seed: number, lines: number): string {
  const out: string[] = []
  for (let line = 0; line < lines; line++) {
    const text = `line ${String(line).padStart(3, '0')} of article ${String(seed).padStart(6, '0')}: the quick brown fox jumps over`
    out.push(line % 7 === 3 ? `.${text}` : text)
  }
  return `${out.join('\r\n')}\r\n`
}

/** feedArticles: `count` articles for `group`, each with a body of `bodyLines` lines, in feed order. */
export function benchArticles(group: string, count: number, bodyLines: number, prefix: string): Article[] {
  const articles: Article[] = []
  const date = new Date('2026-11-01T12:00:00Z')
  for (let i = 0; i < count; i++) {
    articles.push(
      makeArticle({
        newsgroups: group,
        subject: `${prefix} article ${i} of ${count}`,
        body: articleBody(i, bodyLines),
        messageId: `<${prefix}-${i}@bench.netc.test>`,
        date,
      }),
    )
  }
  return articles
}

/** The body of a fed article as an ARTICLE reply gives it back (after the first empty line). */
export function bodyOf(article: Article): Buffer {
  const end = article.text.indexOf('\r\n\r\n')
  return article.text.subarray(end + 4)
}

/** The digest every contender prints for a list of message-ids: sha256 over each id followed by LF. */
export function idsDigest(ids: readonly string[]): string {
  const hash = createHash('sha256')
  for (const id of ids) hash.update(`${id}\n`)
  return hash.digest('hex')
}

/** The digest every contender prints for article bodies: sha256 over the bodies in order (CRLF, unstuffed). */
export function bodiesDigest(bodies: readonly Buffer[]): string {
  const hash = createHash('sha256')
  for (const body of bodies) hash.update(body)
  return hash.digest('hex')
}

/** The template the POST contenders fill: `@@TAG@@` is replaced by the run's tag before the timer starts. */
export function postTemplates(group: string, count: number, bodyLines: number): string[] {
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    out.push(
      [
        'From: Bench Poster <poster@bench.netc.test>',
        `Newsgroups: ${group}`,
        `Subject: netc bench post @@TAG@@ ${i} of ${count}`,
        `Message-ID: <post-@@TAG@@-${i}@bench.netc.test>`,
        '',
        articleBody(i, bodyLines),
      ].join('\r\n'),
    )
  }
  return out
}

/** A raw NNTP session on 127.0.0.1 (no pipelining, no TLS): enough to read back what contenders posted. */
export class RawNntp {
  private constructor(
    private readonly socket: ReturnType<typeof connect>,
    private readonly lines: AsyncIterator<string>,
  ) {}

  static async open(port: number): Promise<RawNntp> {
    const socket = connect({ host: '127.0.0.1', port })
    socket.setNoDelay(true)
    socket.setTimeout(30_000, () => socket.destroy(new Error('verify: no reply within 30 s')))
    const lines = createInterface({ input: socket, crlfDelay: Infinity })[Symbol.asyncIterator]()
    await once(socket, 'connect')
    const session = new RawNntp(socket, lines)
    const greeting = await session.readLine()
    if (!/^20[01] /.test(greeting)) throw new Error(`verify: greeting ${greeting}`)
    return session
  }

  private async readLine(): Promise<string> {
    const next = await this.lines.next()
    if (next.done === true) throw new Error('verify: the server closed the connection')
    return next.value
  }

  /** Sends one command and returns its status line. */
  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`)
    return this.readLine()
  }

  /** Sends one command; when its status is `expect`, reads the multi-line block (unstuffed). */
  async multiline(line: string, expect: string): Promise<{ status: string; lines: string[] }> {
    const status = await this.command(line)
    const lines: string[] = []
    if (!status.startsWith(expect)) return { status, lines }
    for (;;) {
      const next = await this.readLine()
      if (next === '.') break
      lines.push(next.startsWith('..') ? next.slice(1) : next)
    }
    return { status, lines }
  }

  /** GROUP: `{ count, first, last }`. */
  async group(name: string): Promise<{ count: number; first: number; last: number }> {
    const status = await this.command(`GROUP ${name}`)
    const [code, count, first, last] = status.split(' ')
    if (code !== '211') throw new Error(`verify: GROUP ${name} answered ${status}`)
    return { count: Number(count), first: Number(first), last: Number(last) }
  }

  async close(): Promise<void> {
    await this.command('QUIT').catch(() => '')
    this.socket.destroy()
  }
}

/** Throws with a readable message when a contender's figure is not the expected one. */
export function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`)
}

/**
 * readerCpuMs: the CPU time (user + system, ms) of innd's reaped children: the nnrpd readers innd forked
 * (/proc/PID/stat fields 16 and 17, in clock ticks of 10 ms). With `changedFrom`, waits up to 2 s for the
 * figure to move past it: innd reaps an nnrpd shortly after the client has gone.
 */
export async function readerCpuMs(inndPid: number, changedFrom?: number): Promise<number> {
  const deadline = Date.now() + 2_000
  for (;;) {
    const fields = (await readFile(`/proc/${inndPid}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ')
    // After the command name: field 3 is at index 0, so cutime (16) and cstime (17) are at 13 and 14.
    const ms = (Number(fields[13]) + Number(fields[14])) * 10
    if (changedFrom === undefined || ms !== changedFrom || Date.now() > deadline) return ms
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
