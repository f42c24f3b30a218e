import fc from 'fast-check'
import { InvalidArgumentError } from '@netc/transport'
import { TestServer } from '@netc/transport/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { NntpReplyError } from '../nntp-reply-error.ts'
import { NntpTestServer, type TestArticleInput } from '../testing/index.ts'
import { NntpClient } from './nntp-client.ts'
import type { FeedArticle, FeedResult } from './stream-commands.ts'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

function manyArticles(count: number): TestArticleInput[] {
  return Array.from({ length: count }, (_, i) => ({ subject: `article ${i + 1}`, messageId: `<a${i + 1}@bulk.test>`, body: `body ${i + 1}\r\n`.repeat(20) }))
}

async function setup(count: number, options: Parameters<typeof NntpTestServer.start>[0] = {}): Promise<{ server: NntpTestServer; news: NntpClient }> {
  const server = await NntpTestServer.start({ groups: [{ name: 'bulk.test', articles: manyArticles(count) }], ...options })
  cleanup.push(() => server.close())
  const news = await NntpClient.connect(server.url(), { tls: 'none' })
  cleanup.push(() => news.close())
  return { server, news }
}

describe('pipelined bulk reads', () => {
  it('fetches 500 articles in order with a window, in batched writes', async () => {
    const { server, news } = await setup(500)
    await news.group('bulk.test')
    const numbers: number[] = []
    for await (const result of news.articles(Array.from({ length: 500 }, (_, i) => i + 1), { window: 16 })) {
      if (!result.ok) throw result.error
      expect(result.article.headers.get('subject')).toBe(`article ${result.id as number}`)
      numbers.push(result.article.number)
    }
    expect(numbers).toEqual(Array.from({ length: 500 }, (_, i) => i + 1))
    const commands = server.sessions[0]!.received.toString().split('\r\n').filter((line) => line.startsWith('ARTICLE'))
    expect(commands).toHaveLength(500)
  })

  it('sends the whole window before the server answers anything (a waiting client would hang here)', async () => {
    const server = await TestServer.start()
    cleanup.push(() => server.close())
    const connecting = NntpClient.connect(server.url('nntp'), { tls: 'none', timeouts: { reply: 5000 } })
    const session = await server.nextSession()
    await session.writeLine('200 scripted')
    expect(await session.readLine()).toBe('CAPABILITIES')
    await session.writeLine('500 What?')
    const news = await connecting
    cleanup.push(() => Promise.resolve(news.destroy()))
    const results = (async () => {
      const seen = []
      for await (const result of news.articles([1, 2, 3, 4, 5, 6, 7, 8], { window: 8 })) seen.push(result.ok ? result.article.messageId : '')
      return seen
    })()
    const commands = []
    for (let i = 0; i < 8; i++) commands.push(await session.readLine())
    expect(commands).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `ARTICLE ${n}`))
    await session.write([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `220 ${n} <m${n}@x> article\r\nSubject: ${n}\r\n\r\nbody\r\n.\r\n`).join(''))
    expect(await results).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `<m${n}@x>`))
  })

  it('reports 423 and 430 for their items only, and bad ids as InvalidArgumentError items', async () => {
    const { news } = await setup(3)
    await news.group('bulk.test')
    const results = []
    for await (const result of news.articles([1, 99, '<a3@bulk.test>', '<nope@x>', 'bad id', 2])) results.push(result)
    expect(results.map((result) => [result.id, result.ok])).toEqual([
      [1, true], [99, false], ['<a3@bulk.test>', true], ['<nope@x>', false], ['bad id', false], [2, true],
    ])
    const codes = results.map((result) => (result.ok ? 0 : NntpReplyError.isInstance(result.error) ? result.error.replyCode : -1))
    expect(codes).toEqual([0, 423, 0, 430, -1, 0])
    expect(results[4]?.ok === false && InvalidArgumentError.isInstance(results[4].error)).toBe(true)
  })

  it('keeps results in the order of the ids for any mix of ids and windows (property)', async () => {
    const { news } = await setup(30)
    await news.group('bulk.test')
    const id = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom('<a5@bulk.test>', '<nope@x>', 'bad'))
    await fc.assert(
      fc.asyncProperty(fc.array(id, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), async (ids, window) => {
        const results = []
        for await (const result of news.articles(ids, { window, verb: 'STAT' })) results.push(result)
        expect(results.map((result) => result.id)).toEqual(ids)
        for (const result of results) {
          const expected = typeof result.id === 'number' ? result.id >= 1 && result.id <= 30 : result.id === '<a5@bulk.test>'
          expect(result.ok).toBe(expected)
          if (result.ok) expect(result.article.messageId).toBe(typeof result.id === 'number' ? `<a${result.id}@bulk.test>` : result.id)
        }
      }),
      { numRuns: 40 },
    )
  })

  it('stops sending when the consumer leaves and drains what is in flight', async () => {
    const { server, news } = await setup(200)
    await news.group('bulk.test')
    let seen = 0
    for await (const result of news.articles(Array.from({ length: 200 }, (_, i) => i + 1), { window: 10 })) {
      expect(result.ok).toBe(true)
      if (++seen === 3) break
    }
    expect((await news.stat(200)).number).toBe(200)
    const commands = server.sessions[0]!.received.toString().split('\r\n').filter((line) => line.startsWith('ARTICLE'))
    expect(commands.length).toBeLessThan(30)
  })

  it('streams the overview of 2,000 articles from one OVER', async () => {
    const { server, news } = await setup(2000)
    await news.group('bulk.test')
    let count = 0
    for await (const entry of news.overview({ from: 1 })) {
      count++
      expect(entry.number).toBe(count)
    }
    expect(count).toBe(2000)
    expect(server.sessions[0]!.received.toString().match(/OVER/g)).toHaveLength(2)
  })

  /** Subjects with multi-byte UTF-8 and encoded words, so that chunk edges fall inside characters too. */
  function overviewArticles(count: number): TestArticleInput[] {
    return Array.from({ length: count }, (_, i) => ({
      subject: i % 3 === 0 ? `=?UTF-8?Q?Gr=C3=BC=C3=9Fe_${i + 1}?=` : `Grüße € ${i + 1} ${'x'.repeat(i % 17)}`,
      from: 'Jörg <joerg@example.org>',
      messageId: `<o${i + 1}@bulk.test>`,
      body: 'line\r\n'.repeat(1 + (i % 5)),
    }))
  }

  async function overviewOf(count: number, splitWrites?: 'byte' | number): Promise<unknown[]> {
    const server = await NntpTestServer.start({ groups: [{ name: 'bulk.test', articles: overviewArticles(count) }], ...(splitWrites === undefined ? {} : { faults: { splitWrites } }) })
    cleanup.push(() => server.close())
    const news = await NntpClient.connect(server.url(), { tls: 'none' })
    cleanup.push(() => news.close())
    await news.group('bulk.test')
    const entries = []
    for await (const entry of news.overview({ from: 1 })) entries.push(entry)
    expect(await news.date()).toBeInstanceOf(Date) // the connection is in step after the block
    return entries
  }

  it.each([['byte' as const, 40], [1, 25], [7, 600], [13, 600], [1000, 600], [4097, 600]])(
    'yields exactly the right entries when the overview arrives in chunks of %s bytes (%i lines)',
    async (splitWrites, count) => {
      const whole = await overviewOf(count)
      expect(whole.map((entry) => (entry as { number: number }).number)).toEqual(Array.from({ length: count }, (_, i) => i + 1))
      expect(whole[0]).toMatchObject({ number: 1, subject: 'Grüße 1', from: 'Jörg <joerg@example.org>', messageId: '<o1@bulk.test>' })
      expect(whole[1]).toMatchObject({ number: 2, subject: 'Grüße € 2 x', messageId: '<o2@bulk.test>' })
      expect(await overviewOf(count, splitWrites)).toEqual(whole)
    },
  )
})

describe('feeder mode (RFC 4644)', () => {
  const feedArticle = (id: string): FeedArticle => ({
    messageId: id,
    article: `From: feeder@example.org\r\nNewsgroups: bulk.test\r\nSubject: fed ${id}\r\nMessage-ID: ${id}\r\n\r\n.dotted\r\n`,
  })

  it('MODE STREAM, CHECK pipelined, TAKETHIS streamed with per-article results', async () => {
    const { server, news } = await setup(2)
    await news.modeStream()
    expect(news.state).toBe('streaming')
    const checked = await news.check(['<a1@bulk.test>', '<new1@feed.test>'])
    expect(checked.map((result) => [result.messageId, result.status, result.code])).toEqual([
      ['<a1@bulk.test>', 'rejected', 438],
      ['<new1@feed.test>', 'wanted', 238],
    ])
    const ids = Array.from({ length: 300 }, (_, i) => `<new${i + 1}@feed.test>`)
    const results = []
    for await (const result of news.takeThis([...ids.map(feedArticle), feedArticle('<a2@bulk.test>')], { window: 32 })) results.push(result)
    expect(results).toHaveLength(301)
    expect(results.slice(0, 300).every((result) => result.status === 'accepted' && result.code === 239)).toBe(true)
    expect(results[300]).toMatchObject({ messageId: '<a2@bulk.test>', status: 'rejected', code: 439 })
    expect(server.store.byMessageId.get('<new300@feed.test>')?.body.toString()).toBe('.dotted\r\n')
    expect(server.sessions[0]!.received.toString()).toContain('TAKETHIS <new1@feed.test>\r\nFrom: feeder@example.org\r\n')
  })

  it('refuses an invalid message-id in a feed after draining what was sent', async () => {
    const { news } = await setup(1)
    await news.modeStream()
    const results: FeedResult[] = []
    const run = async (): Promise<void> => {
      for await (const result of news.takeThis([feedArticle('<ok@feed.test>'), { messageId: 'bad', article: 'x' }])) results.push(result)
    }
    await expect(run()).rejects.toThrow(InvalidArgumentError)
    expect(results).toHaveLength(1)
    expect((await news.check(['<ok@feed.test>']))[0]?.status).toBe('rejected')
  })
})
