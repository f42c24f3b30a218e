import { ClosedError, Command, InvalidArgumentError, NetcError } from '@netc/transport'
import { afterEach, describe, expect, it } from 'vitest'
import { NntpReplyError } from '../nntp-reply-error.ts'
import { sampleGroups } from '../__fixtures__/sample-groups.ts'
import { NntpTestServer } from '../testing/index.ts'
import { NntpClient } from './nntp-client.ts'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function setup(options: Parameters<typeof NntpTestServer.start>[0] = {}): Promise<{ server: NntpTestServer; news: NntpClient }> {
  const server = await NntpTestServer.start({ groups: sampleGroups(), ...options })
  cleanup.push(() => server.close())
  const news = await NntpClient.connect(server.url(), { tls: 'none' })
  cleanup.push(() => news.close())
  return { server, news }
}

const sent = (server: NntpTestServer, index = 0): string => server.sessions[index]?.received.toString('utf8') ?? ''

describe('NntpClient against NntpTestServer', () => {
  it('connects, reads capabilities, selects a group and says goodbye (exact bytes)', async () => {
    const { server, news } = await setup()
    expect(news.state).toBe('connected')
    expect(news.postingAllowed).toBe(true)
    expect(news.capabilities.reader).toBe(true)
    expect(await news.group('misc.test')).toEqual({ name: 'misc.test', count: 3, first: 1, last: 3 })
    await news.close()
    expect(news.state).toBe('closed')
    expect(sent(server)).toBe('CAPABILITIES\r\nGROUP misc.test\r\nQUIT\r\n')
    expect(server.sessions[0]?.sent.toString()).toBe(
      '200 netc NntpTestServer ready (posting ok)\r\n' +
        '101 Capability list:\r\nVERSION 2\r\nIMPLEMENTATION netc NntpTestServer\r\nREADER\r\nIHAVE\r\nSTREAMING\r\nNEWNEWS\r\n' +
        'LIST ACTIVE NEWSGROUPS ACTIVE.TIMES DISTRIB.PATS OVERVIEW.FMT HEADERS\r\nOVER MSGID\r\nHDR\r\nPOST\r\n.\r\n' +
        '211 3 1 3 misc.test\r\n205 Bye\r\n',
    )
  })

  it('reads articles by number and message-id, with decoded headers and an unstuffed body', async () => {
    const { news } = await setup()
    await news.group('misc.test')
    const first = await news.article(1)
    expect(first.number).toBe(1)
    expect(first.messageId).toBe('<first@example.org>')
    expect(first.headers.get('subject')).toBe('hello world')
    expect(first.body.toString()).toBe('Hello.\r\n.a line that starts with a dot\r\n')
    const second = await news.article('<second@example.org>')
    expect(second.number).toBe(0)
    expect(second.headers.get('Subject')).toBe('Grüße and more')
    expect(second.headers.get('from')).toBe('Jörg <joerg@example.org>')
    expect((await news.head(3)).headers.get('references')).toBe('<first@example.org>')
    expect((await news.body(3)).body.toString()).toBe('Third.\r\n')
    expect(await news.stat('<third@example.org>')).toEqual({ number: 0, messageId: '<third@example.org>' })
  })

  it('moves with next() and last(), and reports 421 as a typed error', async () => {
    const { news } = await setup()
    await news.group('misc.test')
    expect(await news.next()).toEqual({ number: 2, messageId: '<second@example.org>' })
    expect(await news.last()).toEqual({ number: 1, messageId: '<first@example.org>' })
    await news.stat(3)
    const error = await news.next().catch((caught: unknown) => caught)
    expect(NntpReplyError.isInstance(error) && error.isNoCurrentArticle && error.replyCode === 421).toBe(true)
  })

  it('throws 411, 423 and 430 as NntpReplyErrors that tell themselves apart, and stays usable', async () => {
    const { news } = await setup()
    const noGroup = await news.group('no.such.group').catch((caught: unknown) => caught)
    expect(noGroup).toBeInstanceOf(NntpReplyError)
    expect((noGroup as NntpReplyError).isNoSuchGroup).toBe(true)
    expect((noGroup as NntpReplyError).message).toBe('GROUP no.such.group failed: 411 No such group no.such.group')
    await news.group('misc.test')
    const noNumber = (await news.article(99).catch((caught: unknown) => caught)) as NntpReplyError
    expect([noNumber.replyCode, noNumber.isNoSuchArticle]).toEqual([423, true])
    const noId = (await news.article('<nope@x>').catch((caught: unknown) => caught)) as NntpReplyError
    expect([noId.replyCode, noId.isNoSuchArticle]).toEqual([430, true])
    expect(news.state).toBe('connected')
    expect((await news.stat(1)).number).toBe(1)
  })

  it('lists group numbers, in a range, and an empty group', async () => {
    const { news } = await setup()
    expect(await news.listGroup('misc.test')).toEqual({ name: 'misc.test', count: 3, first: 1, last: 3, numbers: [1, 2, 3] })
    expect((await news.listGroup('misc.test', { from: 2 })).numbers).toEqual([2, 3])
    expect(await news.listGroup('local.empty')).toMatchObject({ count: 0, numbers: [] })
    expect(news.currentGroup?.name).toBe('local.empty')
  })

  it('streams the overview of a range with one OVER, parsed with LIST OVERVIEW.FMT (asked once)', async () => {
    const { server, news } = await setup()
    await news.group('misc.test')
    const entries = []
    for await (const entry of news.overview({ from: 1, to: 3 })) entries.push(entry)
    expect(entries.map((entry) => [entry.number, entry.subject, entry.messageId])).toEqual([
      [1, 'hello world', '<first@example.org>'],
      [2, 'Grüße and more', '<second@example.org>'],
      [3, 'Re: hello world', '<third@example.org>'],
    ])
    expect(entries[0]?.fields.xref).toBe('netc.test misc.test:1')
    for await (const entry of news.overview(2)) expect(entry.number).toBe(2)
    expect(sent(server)).toBe('CAPABILITIES\r\nGROUP misc.test\r\nLIST OVERVIEW.FMT\r\nOVER 1-3\r\nOVER 2\r\n')
  })

  it('leaves an overview early and stays in step', async () => {
    const { news } = await setup()
    await news.group('misc.test')
    for await (const entry of news.overview({ from: 1 })) {
      expect(entry.number).toBe(1)
      break
    }
    expect((await news.stat(3)).messageId).toBe('<third@example.org>')
  })

  it('falls back to XOVER and XHDR on 500, and remembers', async () => {
    const { server, news } = await setup({ quirks: { noOver: true, noHdr: true } })
    await news.group('misc.test')
    const numbers = []
    for await (const entry of news.overview({ from: 1, to: 2 })) numbers.push(entry.number)
    for await (const entry of news.overview(3)) numbers.push(entry.number)
    const subjects = []
    for await (const entry of news.hdr('Subject', { from: 1 })) subjects.push(entry.value)
    expect(numbers).toEqual([1, 2, 3])
    expect(subjects).toEqual(['hello world', 'Grüße and more', 'Re: hello world'])
    expect(sent(server)).toBe(
      'CAPABILITIES\r\nGROUP misc.test\r\nLIST OVERVIEW.FMT\r\nOVER 1-2\r\nXOVER 1-2\r\nXOVER 3\r\nHDR Subject 1-\r\nXHDR Subject 1-\r\n',
    )
  })

  it('reads HDR values and metadata', async () => {
    const { news } = await setup()
    await news.group('misc.test')
    const values = []
    for await (const entry of news.hdr(':lines', { from: 1, to: 3 })) values.push([entry.number, entry.value])
    expect(values).toEqual([[1, '2'], [2, '1'], [3, '1']])
  })

  it('lists the variants, parsed', async () => {
    const { news } = await setup()
    expect(await news.list('ACTIVE')).toEqual([
      { name: 'misc.test', high: 3, low: 1, status: 'y' },
      { name: 'local.empty', high: 0, low: 1, status: 'y' },
    ])
    expect(await news.list('ACTIVE', 'local.*')).toHaveLength(1)
    expect(await news.list('NEWSGROUPS', 'misc.*')).toEqual([{ name: 'misc.test', description: 'For testing.' }])
    expect((await news.list('ACTIVE.TIMES'))[0]).toMatchObject({ name: 'misc.test', created: new Date('2000-01-01T00:00:00Z') })
    expect(await news.list('DISTRIB.PATS')).toContainEqual({ weight: 10, wildmat: 'local.*', distribution: 'local' })
    expect((await news.list('OVERVIEW.FMT')).map((field) => field.key)).toContain('xref')
    expect(await news.list('HEADERS')).toEqual([':', ':bytes', ':lines'])
    const unknown = (await news.list('MOTD').catch((caught: unknown) => caught)) as NntpReplyError
    expect(unknown.replyCode).toBe(501)
  })

  it('asks NEWGROUPS, NEWNEWS, DATE and HELP', async () => {
    const { server, news } = await setup()
    expect((await news.newGroups(new Date('1999-12-31T00:00:00Z'))).map((group) => group.name)).toEqual(['misc.test', 'local.empty'])
    expect(await news.newGroups(new Date('2001-01-01T00:00:00Z'))).toEqual([])
    expect(await news.newNews('misc.*', new Date('2000-01-01T00:00:00Z'))).toEqual(['<first@example.org>', '<second@example.org>', '<third@example.org>'])
    const clock = await news.date()
    expect(Math.abs(clock.getTime() - Date.now())).toBeLessThan(24 * 3600 * 1000)
    expect((await news.help())[0]).toContain('ARTICLE')
    expect(sent(server)).toContain('NEWGROUPS 19991231 000000 GMT\r\nNEWGROUPS 20010101 000000 GMT\r\nNEWNEWS misc.* 20000101 000000 GMT\r\nDATE\r\nHELP\r\n')
  })

  it('posts an article (CRLF-normalised, dot-stuffed) and reads it back', async () => {
    const { server, news } = await setup()
    const article = 'From: me@example.org\nNewsgroups: misc.test\nSubject: posted\nMessage-ID: <posted@example.org>\n\n.dot first\nlast\n'
    const result = await news.post(article)
    expect(result).toMatchObject({ code: 240, messageId: '<posted@example.org>' })
    expect(sent(server)).toContain('POST\r\nFrom: me@example.org\r\nNewsgroups: misc.test\r\nSubject: posted\r\nMessage-ID: <posted@example.org>\r\n\r\n..dot first\r\nlast\r\n.\r\n')
    await news.group('misc.test')
    const back = await news.article(4)
    expect(back.messageId).toBe('<posted@example.org>')
    expect(back.body.toString()).toBe('.dot first\r\nlast\r\n')
  })

  it('posts from a stream and offers with IHAVE (235, then 435 as a typed error)', async () => {
    const { news } = await setup()
    async function* chunks(): AsyncGenerator<string> {
      yield 'From: me@example.org\r\nNewsgroups: misc.test\r\nSubj'
      yield 'ect: streamed\r\nMessage-ID: <streamed@example.org>\r\n\r\nbody\r\n'
    }
    expect((await news.post(chunks())).code).toBe(240)
    const offered = 'From: f@example.org\r\nNewsgroups: misc.test\r\nSubject: offered\r\nMessage-ID: <offered@example.org>\r\n\r\nx\r\n'
    expect((await news.ihave('<offered@example.org>', Buffer.from(offered))).code).toBe(235)
    const again = (await news.ihave('<offered@example.org>', offered).catch((caught: unknown) => caught)) as NntpReplyError
    expect(again.replyCode).toBe(435)
    expect((await news.stat('<streamed@example.org>')).messageId).toBe('<streamed@example.org>')
  })

  it('refuses 440 when posting is not allowed (greeting 201)', async () => {
    const { news } = await setup({ posting: false })
    expect(news.postingAllowed).toBe(false)
    const error = (await news.post('Subject: x\r\n\r\nx\r\n').catch((caught: unknown) => caught)) as NntpReplyError
    expect(error.replyCode).toBe(440)
  })

  it('refuses CR/LF in arguments before writing anything', async () => {
    const { server, news } = await setup()
    await expect(news.group('misc.test\r\nPOST')).rejects.toThrow(InvalidArgumentError)
    await expect(news.article('<a@b>\r\nQUIT')).rejects.toThrow(InvalidArgumentError)
    await expect(news.newNews('a b', new Date())).rejects.toThrow(InvalidArgumentError)
    await expect(news.ihave('<x@y>\nQUIT', 'x')).rejects.toThrow(InvalidArgumentError)
    expect(() => news.hdr('Sub\r\nject', 1)).not.toThrow()
    await expect(news.hdr('Sub\r\nject', 1).next()).rejects.toThrow(InvalidArgumentError)
    expect(sent(server)).toBe('CAPABILITIES\r\n')
    expect(news.state).toBe('connected')
  })

  it('runs concurrent calls in order on one connection', async () => {
    const { server, news } = await setup()
    const results = await Promise.all([news.group('misc.test'), news.stat(1), news.stat(2), news.date(), news.stat('<third@example.org>')])
    expect(results[1]).toEqual({ number: 1, messageId: '<first@example.org>' })
    expect(results[2]).toEqual({ number: 2, messageId: '<second@example.org>' })
    expect(sent(server)).toBe('CAPABILITIES\r\nGROUP misc.test\r\nSTAT 1\r\nSTAT 2\r\nDATE\r\nSTAT <third@example.org>\r\n')
  })

  it('executes a command of the caller', async () => {
    const { news } = await setup()
    const { reply, lines } = await news.execute(Command.of('LIST', 'NEWSGROUPS'), { block: true, expect: 215 })
    expect(reply.code).toBe(215)
    expect(lines).toEqual(['misc.test\tFor testing.', 'local.empty\tAn empty group.'])
  })

  it('streams a body chunk by chunk', async () => {
    const { news } = await setup()
    await news.group('misc.test')
    const chunks: Buffer[] = []
    for await (const chunk of news.bodyStream(1)) chunks.push(chunk)
    expect(Buffer.concat(chunks).toString()).toBe('Hello.\r\n.a line that starts with a dot\r\n')
    await expect(news.bodyStream(77).next()).rejects.toMatchObject({ replyCode: 423 })
  })

  it('streams an article: headers first, then the body in chunks; a big one in pieces', async () => {
    const big = 'x'.repeat(999) + '\r\n'
    const { news } = await setup({
      groups: [{ name: 'big.test', articles: [{ subject: 'big', messageId: '<big@x>', body: big.repeat(2000) }, { subject: 'small', body: '.a\r\n' }] }],
    })
    await news.group('big.test')
    const streamed = await news.articleStream(1)
    expect([streamed.number, streamed.messageId, streamed.headers.get('subject')]).toEqual([1, '<big@x>', 'big'])
    let size = 0
    let pieces = 0
    for await (const chunk of streamed.body) {
      size += chunk.length
      pieces++
    }
    expect(size).toBe(big.length * 2000)
    expect(pieces).toBeGreaterThan(1)
    const small = await news.articleStream(2)
    const chunks: Buffer[] = []
    for await (const chunk of small.body) chunks.push(chunk)
    expect(Buffer.concat(chunks).toString()).toBe('.a\r\n')
    await expect(news.articleStream(3)).rejects.toMatchObject({ replyCode: 423 })
    const left = await news.articleStream('<big@x>')
    for await (const chunk of left.body) {
      expect(chunk.length).toBeGreaterThan(0)
      break
    }
    expect((await news.stat(2)).number).toBe(2)
  })

  it('closes even when an iteration was left waiting, which then throws ClosedError', async () => {
    const many = Array.from({ length: 600 }, (_, i) => ({ subject: `s${i}`, body: 'b\r\n' }))
    const { server, news } = await setup({ groups: [{ name: 'many.test', articles: many }] })
    await news.group('many.test')
    const iterator = news.overview({ from: 1 })
    expect((await iterator.next()).value).toMatchObject({ number: 1 })
    await news.close()
    expect(news.state).toBe('closed')
    expect(server.sessions[0]?.received.toString()).toMatch(/OVER 1-\r\nQUIT\r\n$/)
    await expect(iterator.next()).rejects.toThrow(ClosedError)
  })

  it('rejects calls after close with ClosedError', async () => {
    const { news } = await setup()
    await news.close()
    await news.close()
    const error = await news.date().catch((caught: unknown) => caught)
    expect(ClosedError.isInstance(error)).toBe(true)
    expect(NetcError.isInstance(error)).toBe(true)
  })
})
