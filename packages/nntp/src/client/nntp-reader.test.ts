import { ConnectionError, NetcError } from '@netc/transport'
import { afterEach, describe, expect, it } from 'vitest'
import { NntpTestServer, type NntpTestServerOptions } from '../testing/index.ts'
import { NntpReader, isReconnectable } from './nntp-reader.ts'
import type { NntpReaderOptions } from './nntp-reader.ts'
import { NntpReplyError } from '../nntp-reply-error.ts'
import { reconnectDelay } from './reconnect-backoff.ts'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const articles = Array.from({ length: 30 }, (_, n) => ({ subject: `article ${n + 1}`, body: `body ${n + 1}\n` }))

async function start(options: NntpTestServerOptions = {}): Promise<NntpTestServer> {
  const server = await NntpTestServer.start({ groups: [{ name: 'misc.test', articles }, { name: 'misc.other', articles: articles.slice(0, 3) }], ...options })
  cleanup.push(() => server.close())
  return server
}

async function reader(server: NntpTestServer, options: NntpReaderOptions = {}): Promise<NntpReader> {
  const news = await NntpReader.connect(server.url(), { tls: 'none', reconnect: { baseDelay: 50, maxDelay: 400, maxAttempts: 10 }, ...options })
  cleanup.push(() => news.destroy())
  return news
}

const commandsOf = (server: NntpTestServer, n: number): string[] =>
  (server.sessions[n]?.received.toString('latin1') ?? '').split('\r\n').filter((line) => line !== '')

describe('NntpReader', () => {
  it('a server that drops idle readers: reconnects, logs in, selects the group again and asks again', async () => {
    const server = await start({ auth: { user: 'dave', pass: 'secret' }, faults: { idleTimeout: 300 } })
    const events: unknown[] = []
    const news = await reader(server, { auth: { user: 'dave', pass: 'secret' }, onReconnect: (event) => events.push(event) })
    await news.group('misc.test')
    await new Promise((resolve) => setTimeout(resolve, 700)) // longer than the server's idle timeout
    const article = await news.article(5)
    expect(article.headers.get('subject')).toBe('article 5')
    expect(news.reconnects).toBe(1)
    expect(events).toHaveLength(1)
    expect(server.sessions).toHaveLength(2)
    const again = commandsOf(server, 1)
    expect(again.filter((line) => line.startsWith('AUTHINFO'))).not.toEqual([])
    expect(again.filter((line) => !line.startsWith('CAPABILITIES') && !line.startsWith('AUTHINFO'))).toEqual(['GROUP misc.test', 'ARTICLE 5'])
    expect(news.currentGroup?.name).toBe('misc.test')
  })

  it('an idle drop with a 400 farewell: the next read reconnects', async () => {
    const server = await start({ faults: { idleTimeout: 200, idleReply: '400 Idle timeout' } })
    const news = await reader(server)
    await news.group('misc.test')
    await expect.poll(() => server.sessions[0]?.sent.toString(), { timeout: 5000 }).toMatch(/400 Idle timeout\r\n$/)
    expect((await news.stat('<no-such@article>').catch((error: unknown) => error)) as object).toMatchObject({ replyCode: 430 })
    expect(news.reconnects).toBe(1)
    expect(commandsOf(server, 1).filter((line) => !line.startsWith('CAPABILITIES'))).toEqual(['GROUP misc.test', 'STAT <no-such@article>'])
  })

  it('400 on a read (the server going away): reconnects and asks again', async () => {
    const server = await start({ faults: { hangUpOn: (command, { session }) => (session === 1 && command.startsWith('HEAD') ? '400 Service discontinued' : undefined) } })
    const news = await reader(server)
    await news.group('misc.other')
    const head = await news.head(2)
    expect(head.headers.get('subject')).toBe('article 2')
    expect(commandsOf(server, 1).slice(-2)).toEqual(['GROUP misc.other', 'HEAD 2'])
  })

  it('a restart (sessions dropped, refused for a while): waits with backoff and reads on', async () => {
    const server = await start()
    const news = await reader(server)
    await news.group('misc.test')
    const restart = server.restart({ downFor: 600 })
    const [stat, body, active, date] = await Promise.all([news.stat(3), news.body(4), news.list('ACTIVE'), news.date()])
    await restart
    expect(stat.number).toBe(3)
    expect(body.body.toString()).toBe('body 4\r\n')
    expect(active.map((entry) => entry.name).sort()).toEqual(['misc.other', 'misc.test'])
    expect(date).toBeInstanceOf(Date)
    expect(news.reconnects).toBe(1) // concurrent calls share one reconnection
    const refused = server.sessions.filter((session) => session.sent.length === 0).length
    expect(refused).toBeGreaterThanOrEqual(1)
    expect(refused).toBeLessThanOrEqual(8) // a bounded backoff, not a busy loop
  })

  it('overview cut off midway resumes after the last entry it gave: each article once, in order', async () => {
    const server = await start({ faults: { hangUpOn: (command, { session }) => (session === 1 && command.startsWith('OVER') ? '' : undefined) } })
    const news = await reader(server)
    await news.group('misc.test')
    // The first OVER hangs up without a word; the second session's OVER starts where the first left.
    const numbers: number[] = []
    for await (const entry of news.overview({ from: 1, to: 30 })) numbers.push(entry.number)
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, n) => n + 1))
    expect(commandsOf(server, 1).at(-1)).toBe('OVER 1-30')
  })

  it('a server that cuts every session midway through OVER: the overview resumes each time, each entry once, in order', async () => {
    const server = await start({ faults: { closeAfterBytes: 1500 } })
    const news = await reader(server)
    await news.group('misc.test')
    const numbers: number[] = []
    for await (const entry of news.overview({ from: 1 })) numbers.push(entry.number)
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, n) => n + 1))
    expect(news.reconnects).toBeGreaterThanOrEqual(2)
    const resumed = server.sessions.slice(1).map((_, n) => commandsOf(server, n + 1).find((line) => line.startsWith('OVER')))
    expect(resumed[0]).toMatch(/^OVER \d+-$/)
    expect(resumed[0]).not.toBe('OVER 1-')
  })

  it('never asks twice what is not a read, and gives up after maxAttempts', async () => {
    const server = await start()
    const news = await reader(server, { reconnect: { maxAttempts: 3, baseDelay: 10, maxDelay: 20 } })
    const restart = server.restart({ downFor: 2000 })
    const error = await news.date().catch((thrown: unknown) => thrown)
    expect(ConnectionError.isInstance(error)).toBe(true)
    expect(server.sessions.length).toBe(1 + 2) // the first session, then two refused tries (three in all)
    await restart
    await expect(news.client.post('From: a@b\r\nNewsgroups: misc.test\r\nSubject: x\r\n\r\nx\r\n')).rejects.toThrow(NetcError) // POST goes through client: no retry
    expect(await news.date()).toBeInstanceOf(Date) // the next read starts afresh
  })

  it('a refusal is not the connection’s: 411 and 423 are thrown at once', async () => {
    const server = await start()
    const news = await reader(server)
    await expect(news.group('no.such.group')).rejects.toThrow(NntpReplyError)
    await news.group('misc.test')
    await expect(news.article(999)).rejects.toMatchObject({ replyCode: 423 })
    expect(server.sessions).toHaveLength(1)
  })

  it('isReconnectable and reconnectDelay', () => {
    expect(isReconnectable(new ConnectionError('reset'))).toBe(true)
    expect(isReconnectable(new NntpReplyError({ replyCode: 400, lines: ['bye'] }))).toBe(true)
    expect(isReconnectable(new NntpReplyError({ replyCode: 430, lines: ['no'] }))).toBe(false)
    expect(reconnectDelay(1, { baseDelay: 100, maxDelay: 5000 })).toBe(0)
    expect(reconnectDelay(2, { baseDelay: 100, maxDelay: 5000 }, () => 1)).toBe(100)
    expect(reconnectDelay(50, { baseDelay: 100, maxDelay: 5000 }, () => 0)).toBe(2500)
  })
})
