import { afterEach, describe, expect, it } from 'vitest'
import { sampleGroups } from '../__fixtures__/sample-groups.ts'
import { NntpTestServer, type NntpTestServerOptions } from '../testing/index.ts'
import { NntpClient } from './nntp-client.ts'
import type { NntpClientOptions } from './nntp-client-options.ts'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function start(options: NntpTestServerOptions = {}): Promise<NntpTestServer> {
  const server = await NntpTestServer.start({ groups: sampleGroups(), ...options })
  cleanup.push(() => server.close())
  return server
}

async function connect(target: string, options: NntpClientOptions = {}): Promise<{ news: NntpClient; transcript: string[] }> {
  const transcript: string[] = []
  const news = await NntpClient.connect(target, { debug: (line) => transcript.push(line), ...options })
  cleanup.push(() => news.destroy())
  return { news, transcript }
}

describe('COMPRESS DEFLATE (RFC 8054)', () => {
  it('compresses after STARTTLS and login when asked and offered, and reads the same articles', async () => {
    const server = await start({ compress: true, starttls: true, auth: { user: 'dave', pass: 'secret' } })
    const { news, transcript } = await connect(server.url(), { compress: true, tls: { mode: 'required', ca: server.ca }, auth: { user: 'dave', pass: 'secret' } })
    expect(news.compressed).toBe(true)
    expect(news.secure).toBe(true)
    const group = await news.group('misc.test')
    const overview = []
    for await (const entry of news.overview({ from: group.first, to: group.last })) overview.push(entry.subject)
    expect(overview).toHaveLength(group.count)
    const article = await news.article(group.first)
    expect(article.body.length).toBeGreaterThan(0)
    await news.close()
    const commands = transcript.filter((line) => line.startsWith('C: ')).map((line) => line.slice(3))
    const order = ['STARTTLS', 'AUTHINFO USER dave', 'COMPRESS DEFLATE']
    expect(order.map((command) => commands.indexOf(command))).toEqual([...order.map((command) => commands.indexOf(command))].sort((a, b) => a - b))
    expect(commands.indexOf('COMPRESS DEFLATE')).toBeGreaterThan(commands.indexOf('AUTHINFO PASS ****'))
    expect(transcript).toContain('-- COMPRESS DEFLATE')
    expect(server.sessions[0]?.compressed).toBe(true)
  })

  it('stays uncompressed when the server does not offer it, or when not asked', async () => {
    const plain = await start()
    const first = await connect(plain.url(), { compress: true })
    expect(first.news.compressed).toBe(false)
    expect((await first.news.group('misc.test')).count).toBe(3)
    const offering = await start({ compress: true })
    const second = await connect(offering.url())
    expect(second.news.compressed).toBe(false)
    expect(second.news.capabilities.compress).toEqual(['DEFLATE'])
  })
})
