import { ClosedError, NetcError, ProtocolError, TimeoutError } from '@netc/transport'
import { afterEach, describe, expect, it } from 'vitest'
import { sampleGroups } from '../__fixtures__/sample-groups.ts'
import { NntpTestServer, type NntpTestServerOptions } from '../testing/index.ts'
import { NntpClient } from './nntp-client.ts'
import type { NntpClientOptions } from './nntp-client-options.ts'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function start(options: NntpTestServerOptions): Promise<NntpTestServer> {
  const server = await NntpTestServer.start({ groups: sampleGroups(), ...options })
  cleanup.push(() => server.close())
  return server
}

/** A whole reading session: what each fault test runs. */
async function readingSession(server: NntpTestServer, options: NntpClientOptions = {}): Promise<unknown[]> {
  const news = await NntpClient.connect(server.url(), { tls: 'none', ...options })
  cleanup.push(() => news.destroy())
  const group = await news.group('misc.test')
  const article = await news.article(2)
  const overview = []
  for await (const entry of news.overview({ from: 1 })) overview.push([entry.number, entry.subject])
  const active = await news.list('ACTIVE')
  await news.close()
  return [group, article.messageId, article.headers.get('subject'), article.body.toString(), overview, active]
}

describe('faults', () => {
  it('reads replies and blocks split at every byte the same as whole ones', async () => {
    const whole = await readingSession(await start({}))
    const split = await readingSession(await start({ faults: { splitWrites: 'byte' } }))
    expect(split).toEqual(whole)
    expect(whole[2]).toBe('Grüße and more')
  })

  it('fails cleanly with a NetcError when the server hangs up at any point', async () => {
    const reference = await start({})
    await readingSession(reference)
    const length = reference.sessions[0]?.sent.length ?? 0
    expect(length).toBeGreaterThan(500)
    for (let cut = 0; cut < length; cut += 23) {
      const server = await start({ faults: { closeAfterBytes: cut } })
      const error = await readingSession(server).then(() => undefined, (caught: unknown) => caught)
      // Only a cut inside the final "205 Bye" may go unnoticed: close() does not need the goodbye.
      const unnoticed = error === undefined && cut >= length - '205 Bye\r\n'.length
      expect(unnoticed || NetcError.isInstance(error), `cut at ${cut}: ${String(error)}`).toBe(true)
      await server.close()
    }
  })

  it('times out a silent greeting with TimeoutError (phase greeting)', async () => {
    const server = await start({ faults: { stallAfterBytes: 0 } })
    const error = await NntpClient.connect(server.url(), { timeouts: { greeting: 300 } }).catch((caught: unknown) => caught)
    expect(TimeoutError.isInstance(error) && error.phase === 'greeting').toBe(true)
  })

  it('times out a reply that stops midway, and then rejects every call with ClosedError', async () => {
    const reference = await start({})
    const news0 = await NntpClient.connect(reference.url(), { tls: 'none' })
    await news0.close()
    const opening = reference.sessions[0]?.sent.length ?? 0
    const server = await start({ faults: { stallAfterBytes: opening + 5 } })
    const news = await NntpClient.connect(server.url(), { tls: 'none', timeouts: { reply: 300 } })
    cleanup.push(() => news.destroy())
    const error = await news.group('misc.test').catch((caught: unknown) => caught)
    expect(TimeoutError.isInstance(error) && error.phase === 'reply').toBe(true)
    expect(news.state).toBe('closed')
    const after = await news.date().catch((caught: unknown) => caught)
    expect(ClosedError.isInstance(after)).toBe(true)
    expect((after as ClosedError).cause).toBe(error)
  })

  it('refuses an oversized line with ProtocolError and closes', async () => {
    const server = await start({
      groups: [{ name: 'big.test', articles: [{ subject: 'x'.repeat(5000), messageId: '<big@x>', body: 'y\r\n' }] }],
    })
    const news = await NntpClient.connect(server.url(), { tls: 'none', limits: { maxLineLength: 1024 } })
    cleanup.push(() => news.destroy())
    await news.group('big.test')
    const overview = async (): Promise<void> => {
      for await (const entry of news.overview(1)) void entry
    }
    await expect(overview()).rejects.toThrow(ProtocolError)
    expect(news.state).toBe('closed')
  })

  it('refuses garbage instead of a greeting', async () => {
    const server = await start({ faults: { garbage: Buffer.from('SSH-2.0-OpenSSH_9.6\r\n') } })
    await expect(NntpClient.connect(server.url())).rejects.toThrow(ProtocolError)
  })

  it('aborts a call through its signal', async () => {
    const server = await start({})
    const news = await NntpClient.connect(server.url(), { tls: 'none' })
    cleanup.push(() => news.destroy())
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    const error = await news.group('misc.test', { signal: controller.signal }).catch((caught: unknown) => caught)
    expect(NetcError.isInstance(error)).toBe(true)
  })
})
