import { Duplex } from 'node:stream'
import { connectSocket, type ConnectOptions } from '@netc/transport'
import { afterEach, describe, expect, it } from 'vitest'
import { NntpReplyError } from '../nntp-reply-error.ts'
import { NntpTestServer, type NntpTestServerOptions } from '../testing/index.ts'
import { NntpClient } from './nntp-client.ts'
import { overviewParts } from './stream-overview.ts'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/** A connect seam that records each write the client makes (a corked batch counts as one). */
function recordingConnect(writes: string[]): (options: ConnectOptions) => Promise<Duplex> {
  return async (options) => {
    const socket = await connectSocket(options)
    const recorder = new Duplex({
      read: () => undefined,
      write(chunk: Buffer, _encoding, done) {
        writes.push(chunk.toString('latin1'))
        socket.write(chunk, done)
      },
      writev(chunks, done) {
        writes.push(chunks.map(({ chunk }) => Buffer.from(chunk as Buffer).toString('latin1')).join(''))
        socket.write(Buffer.concat(chunks.map(({ chunk }) => chunk as Buffer)), done)
      },
      final(done) {
        socket.end(done)
      },
      destroy(error, done) {
        socket.destroy()
        done(error)
      },
    })
    socket.on('data', (data: Buffer) => recorder.push(data))
    socket.on('end', () => recorder.push(null))
    socket.on('close', () => recorder.destroy())
    return recorder
  }
}

async function setup(count: number, options: NntpTestServerOptions = {}, writes?: string[]): Promise<{ server: NntpTestServer; news: NntpClient }> {
  const articles = Array.from({ length: count }, (_, i) => ({ subject: `s${i + 1}`, messageId: `<o${i + 1}@bulk.test>`, body: 'b\r\n' }))
  const server = await NntpTestServer.start({ groups: [{ name: 'bulk.test', articles }], ...options })
  cleanup.push(() => server.close())
  const news = await NntpClient.connect(server.url(), { tls: 'none', ...(writes === undefined ? {} : { connect: recordingConnect(writes) }) })
  cleanup.push(() => news.close())
  await news.group('bulk.test')
  return { server, news }
}

const commands = (server: NntpTestServer): string[] =>
  (server.sessions[0]?.received.toString('latin1') ?? '').split('\r\n').filter((line) => /^(X?OVER|LIST|STAT)/.test(line))

async function numbersOf(iterable: AsyncIterable<{ number: number }>): Promise<number[]> {
  const numbers = []
  for await (const entry of iterable) numbers.push(entry.number)
  return numbers
}

describe('overviewParts', () => {
  it.each([
    [undefined, [undefined]],
    [7, [7]],
    ['<a@b>', ['<a@b>']],
    [{ from: 5 }, [{ from: 5 }]],
    [{ from: 1, to: 2000 }, [{ from: 1, to: 2000 }]],
    [{ from: 1, to: 5000 }, [{ from: 1, to: 500 }, { from: 501, to: 2500 }, { from: 2501, to: 4500 }, { from: 4501, to: 5000 }]],
    [{ from: 10, to: 4010 }, [{ from: 10, to: 509 }, { from: 510, to: 2509 }, { from: 2510, to: 4010 }]],
    [{ from: 9, to: 3 }, [{ from: 9, to: 3 }]],
  ])('cuts %j into %j', (range, parts) => {
    expect(overviewParts(range)).toEqual(parts)
  })

  it.each([
    [{ from: 1 }, 3000, [{ from: 1, to: 500 }, { from: 501, to: 2500 }, { from: 2501, to: 3000 }, { from: 3001 }]],
    [{ from: 1 }, 2000, [{ from: 1 }]],
    [{ from: 5000 }, 3000, [{ from: 5000 }]],
    [{ from: 1, to: 1000 }, 9000, [{ from: 1, to: 1000 }]],
  ])('cuts the open range %j up to the last number %d, then asks from the next one on', (range, last, parts) => {
    expect(overviewParts(range, last)).toEqual(parts)
  })

  it('cuts a long range into at most 16 parts, the first of 500', () => {
    const parts = overviewParts({ from: 1, to: 1_000_000 })
    expect(parts).toHaveLength(16)
    expect(parts[0]).toEqual({ from: 1, to: 500 })
    expect(parts[1]).toEqual({ from: 501, to: 67_134 })
    expect(parts[15]).toEqual({ from: 933_377, to: 1_000_000 })
  })

  it('refuses bad numbers before cutting', () => {
    expect(() => overviewParts({ from: 1.5, to: 9000 })).toThrow('range start')
  })
})

describe('overview() against NntpTestServer', () => {
  it('asks LIST OVERVIEW.FMT in the same write as the first OVER, and only once', async () => {
    const writes: string[] = []
    const { news } = await setup(3, {}, writes)
    expect(await numbersOf(news.overview({ from: 1, to: 3 }))).toEqual([1, 2, 3])
    expect(await numbersOf(news.overview(2))).toEqual([2])
    expect(writes.filter((write) => /OVER/.test(write))).toEqual(['LIST OVERVIEW.FMT\r\nOVER 1-3\r\n', 'OVER 2\r\n'])
  })

  it('keeps LIST OVERVIEW.FMT and the XOVER fallback in order when OVER is refused', async () => {
    const { server, news } = await setup(3, { quirks: { noOver: true } })
    expect(await numbersOf(news.overview({ from: 1, to: 3 }))).toEqual([1, 2, 3])
    expect(await news.overviewFormat()).toHaveLength(8)
    expect(commands(server)).toEqual(['LIST OVERVIEW.FMT', 'OVER 1-3', 'XOVER 1-3'])
  })

  it('asks for a long range in pipelined parts, the first ones in one write, and yields every entry once, in order', async () => {
    const writes: string[] = []
    const { server, news } = await setup(9000, {}, writes)
    expect(await numbersOf(news.overview({ from: 1, to: 9000 }))).toEqual(Array.from({ length: 9000 }, (_, i) => i + 1))
    const parts = ['OVER 1-500', 'OVER 501-2500', 'OVER 2501-4500', 'OVER 4501-6500', 'OVER 6501-8500', 'OVER 8501-9000']
    expect(commands(server)).toEqual(['LIST OVERVIEW.FMT', ...parts])
    expect(writes.filter((write) => /OVER/.test(write))[0]).toBe(`LIST OVERVIEW.FMT\r\n${parts.slice(0, 4).join('\r\n')}\r\n`)
    expect((await news.stat(9000)).messageId).toBe('<o9000@bulk.test>')
  })

  it('cuts an open range at the group\'s last number and still gets what arrived since', async () => {
    const { server, news } = await setup(4500)
    server.store.add(Buffer.from('Newsgroups: bulk.test\r\nSubject: late\r\nMessage-ID: <late@bulk.test>\r\n\r\nb\r\n'))
    const numbers = await numbersOf(news.overview({ from: 1 }))
    expect(numbers).toEqual(Array.from({ length: 4501 }, (_, i) => i + 1))
    expect(commands(server)).toEqual(['LIST OVERVIEW.FMT', 'OVER 1-500', 'OVER 501-2500', 'OVER 2501-4500', 'OVER 4501-'])
    // Nothing new since GROUP: the open last part's 423 is skipped, not thrown.
    await news.group('bulk.test')
    expect(await numbersOf(news.overview({ from: 4000 }))).toHaveLength(502)
  })

  it('throws a refusal other than 423 at once, after reading the answers in flight', async () => {
    const articles = Array.from({ length: 5000 }, (_, i) => ({ subject: `s${i + 1}`, messageId: `<n${i + 1}@bulk.test>`, body: 'b\r\n' }))
    const server = await NntpTestServer.start({ groups: [{ name: 'bulk.test', articles }] })
    cleanup.push(() => server.close())
    const news = await NntpClient.connect(server.url(), { tls: 'none' })
    cleanup.push(() => news.close())
    const error = await numbersOf(news.overview({ from: 1, to: 5000 })).catch((caught: unknown) => caught)
    expect(NntpReplyError.isInstance(error) && error.replyCode).toBe(412)
    expect((await news.group('bulk.test')).count).toBe(5000)
    expect(commands(server).filter((line) => line.startsWith('OVER'))).toHaveLength(4)
  })

  it('uses XOVER for every part once OVER was refused', async () => {
    const { server, news } = await setup(4500, { quirks: { noOver: true } })
    expect(await numbersOf(news.overview({ from: 1, to: 4500 }))).toHaveLength(4500)
    // The first write asked for three parts with OVER; their 500s are read, then every part goes again as XOVER.
    const parts = ['1-500', '501-2500', '2501-4500']
    expect(commands(server)).toEqual(['LIST OVERVIEW.FMT', ...parts.map((part) => `OVER ${part}`), ...parts.map((part) => `XOVER ${part}`)])
    expect(await numbersOf(news.overview({ from: 1, to: 4500 }))).toHaveLength(4500)
    expect(commands(server).slice(7)).toEqual(parts.map((part) => `XOVER ${part}`))
  })

  it('skips parts without articles (423) and throws the 423 only when no part had any', async () => {
    const { server, news } = await setup(4500)
    const group = server.store.groups.get('bulk.test')!
    for (let n = 1; n <= 2000; n++) group.articles.delete(n)
    const numbers = await numbersOf(news.overview({ from: 1, to: 9000 }))
    expect(numbers).toHaveLength(2500)
    expect(numbers[0]).toBe(2001)
    expect(numbers.at(-1)).toBe(4500)
    const error = await numbersOf(news.overview({ from: 5001, to: 9000 })).catch((caught: unknown) => caught)
    expect(NntpReplyError.isInstance(error) && error.replyCode).toBe(423)
    expect((await news.stat(3000)).number).toBe(3000)
  })

  it('leaves a long overview early, reads the answers still in flight and stays in step', async () => {
    const { server, news } = await setup(9000)
    for await (const entry of news.overview({ from: 1, to: 9000 })) {
      expect(entry.number).toBe(1)
      break
    }
    expect((await news.stat(9000)).messageId).toBe('<o9000@bulk.test>')
    const sent = commands(server)
    expect(sent.at(-1)).toBe('STAT 9000')
    expect(sent.filter((line) => line.startsWith('OVER')).length).toBeLessThan(5)
  })
})
