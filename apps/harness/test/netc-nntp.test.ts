// @netc/nntp against a real INN 2.7 (started by the harness itself: innd with nnrpd behind it for readers,
// STARTTLS, a standalone nnrpd for NNTPS, and 127.0.0.2 as the feeding peer).
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { connectSocket } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { NntpClient, NntpReplyError, type NntpClientOptions } from '@netc/nntp'
import { feederAddress, makeArticle, startInn, type NntpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

let inn: NntpDaemon

daemonHooks(startInn, (daemon) => {
  inn = daemon
})

function reader(options: NntpClientOptions = {}): Promise<NntpClient> {
  return NntpClient.connect({ host: inn.host, port: inn.port, tlsOptions: { ca: inn.ca }, ...options })
}

/** Articles fed to innd reach readers a moment later: ask GROUP until the count is there (bounded). */
async function waitForCount(news: NntpClient, group: string, count: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await news.group(group)).count >= count) return
    await sleep(100)
  }
  throw new Error(`${group} never reached ${count} articles`)
}

describe('@netc/nntp against INN', () => {
  it('upgrades with STARTTLS, asks CAPABILITIES again, and logs in with AUTHINFO USER/PASS', async () => {
    const [user] = inn.users
    await using news = await reader({ auth: { user: user!.user, pass: user!.pass } })
    expect(news.secure).toBe(true)
    expect(news.state).toBe('authenticated')
    expect(news.capabilities).toMatchObject({ reader: true, startTls: false, hdr: true, implementation: expect.stringMatching(/^INN 2\./) as unknown })
  })

  it('reads over NNTPS (the standalone nnrpd) from a URL', async () => {
    await using news = await NntpClient.connect(`nntps://${inn.host}:${inn.tlsPort}`, { tlsOptions: { ca: inn.ca } })
    expect(news.secure).toBe(true)
    expect((await news.list('ACTIVE', 'netc.*')).map((entry) => entry.name).sort()).toEqual(inn.groups.map((group) => group.name).sort())
  })

  it('posts, then reads back by number and by message-id (article, head, body, stat, hdr)', async () => {
    await using news = await reader()
    const token = randomUUID()
    const messageId = `<${token}@netc.harness>`
    const posted = await news.post(
      `From: Netc <netc@example.org>\nNewsgroups: netc.test\nSubject: =?UTF-8?Q?gr=C3=BC=C3=9Fe?= ${token}\nMessage-ID: ${messageId}\n\nline 1\n.starts with a dot\n.\n`,
    )
    expect(posted).toMatchObject({ code: 240, messageId })
    const byId = await news.article(messageId)
    expect(byId.headers.get('subject')).toBe(`grüße ${token}`)
    expect(byId.body.toString()).toBe('line 1\r\n.starts with a dot\r\n.\r\n')
    await waitForCount(news, 'netc.test', 1)
    const numbers = (await news.listGroup('netc.test')).numbers
    let number = 0
    for (const candidate of numbers) if ((await news.stat(candidate)).messageId === messageId) number = candidate
    expect(number).toBeGreaterThan(0)
    const byNumber = await news.article(number)
    expect([byNumber.number, byNumber.messageId]).toEqual([number, messageId])
    expect((await news.head(number)).headers.get('message-id')).toBe(messageId)
    expect((await news.body(messageId)).body.toString()).toBe(byId.body.toString())
    const subjects = []
    for await (const entry of news.hdr('Subject', number)) subjects.push([entry.number, entry.value])
    expect(subjects).toEqual([[number, `grüße ${token}`]])
  })

  it('feeds with MODE STREAM, CHECK and TAKETHIS from the peer address, then reads the overview of the range', async () => {
    const token = randomUUID()
    const articles = Array.from({ length: 40 }, (_, n) =>
      makeArticle({ newsgroups: 'netc.misc', subject: `netc feed ${n} ${token}`, body: `body ${n}\n.dot\n` }),
    )
    {
      await using feeder = await NntpClient.connect({
        host: inn.host,
        port: inn.port,
        tls: 'none',
        readerMode: false,
        connect: (options) => connectSocket({ ...options, localAddress: feederAddress }),
      })
      expect(feeder.capabilities.streaming).toBe(true)
      await feeder.modeStream()
      const checked = await feeder.check(articles.map((article) => article.messageId))
      expect(checked.every((result) => result.status === 'wanted')).toBe(true)
      const results = []
      for await (const result of feeder.takeThis(articles.map((article) => ({ messageId: article.messageId, article: article.text })), { window: 16 })) {
        results.push(result)
      }
      expect(results.map((result) => result.status)).toEqual(articles.map(() => 'accepted'))
      const again = []
      for await (const result of feeder.takeThis([{ messageId: articles[0]!.messageId, article: articles[0]!.text }])) again.push(result.code)
      expect(again).toEqual([439])
    }
    await using news = await reader()
    await waitForCount(news, 'netc.misc', 40)
    const group = await news.group('netc.misc')
    const mine = []
    for await (const entry of news.overview({ from: group.first, to: group.last })) {
      if (entry.subject.endsWith(token)) mine.push(entry)
    }
    expect(mine.map((entry) => entry.messageId)).toEqual(articles.map((article) => article.messageId))
    expect(mine.every((entry) => entry.bytes !== undefined && entry.lines === 2 && entry.fields.xref !== undefined)).toBe(true)
    const fetched = []
    for await (const result of news.articles(mine.map((entry) => entry.number), { window: 16 })) {
      fetched.push(result.ok ? result.article.body.toString() : String(result.error))
    }
    expect(fetched).toEqual(articles.map((_, n) => `body ${n}\r\n.dot\r\n`))
  })

  it('lists the variants', async () => {
    await using news = await reader()
    expect(await news.list('NEWSGROUPS', 'netc.*')).toEqual(expect.arrayContaining(inn.groups.map((group) => ({ name: group.name, description: group.description }))))
    expect((await news.list('OVERVIEW.FMT')).map((field) => field.key)).toEqual(['subject', 'from', 'date', 'message-id', 'references', ':bytes', ':lines', 'xref'])
    expect(await news.list('HEADERS')).toContain(':')
    expect(Array.isArray(await news.list('ACTIVE.TIMES'))).toBe(true)
    expect(Array.isArray(await news.list('DISTRIB.PATS'))).toBe(true)
    expect((await news.date()).getUTCFullYear()).toBeGreaterThan(2000)
    expect((await news.help()).join('\n')).toContain('ARTICLE')
  })

  it('tells 411, 423 and 430 apart', async () => {
    await using news = await reader()
    const noGroup = await news.group('netc.no-such-group').catch((error: unknown) => error)
    expect(NntpReplyError.isInstance(noGroup) && noGroup.isNoSuchGroup).toBe(true)
    await news.group('netc.readonly')
    const noNumber = await news.article(999_999).catch((error: unknown) => error)
    expect(NntpReplyError.isInstance(noNumber) && noNumber.replyCode).toBe(423)
    const noId = await news.article('<no-such-article@netc.harness>').catch((error: unknown) => error)
    expect(NntpReplyError.isInstance(noId) && noId.replyCode).toBe(430)
  })
})
