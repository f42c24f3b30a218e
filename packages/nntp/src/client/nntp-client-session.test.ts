import { InvalidStateError, ProtocolError, TlsError, connectSocket } from '@netc/transport'
import { createTestCertificates } from '@netc/transport/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { NntpReplyError } from '../nntp-reply-error.ts'
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

async function connect(target: string, options: NntpClientOptions = {}): Promise<NntpClient> {
  const news = await NntpClient.connect(target, options)
  cleanup.push(() => news.destroy())
  return news
}

const received = (server: NntpTestServer, index = 0): string => server.sessions[index]?.received.toString('utf8') ?? ''

describe('NntpClient sessions', () => {
  it('speaks NNTPS (implicit TLS) with the server CA', async () => {
    const server = await start({ tls: 'implicit' })
    expect(server.url()).toMatch(/^nntps:\/\/127\.0\.0\.1:\d+$/)
    const news = await connect(server.url(), { tlsOptions: { ca: server.ca } })
    expect(news.secure).toBe(true)
    expect((await news.group('misc.test')).count).toBe(3)
  })

  it('keeps the ACK clock against a server whose Nagle holds each block until the client sends (INN): no read waits', async () => {
    const server = await start({ faults: { nagle: true } })
    const news = await connect(server.url(), { tls: 'none', timeouts: { reply: 2000, data: 2000 } })
    expect(news.capabilities.reader).toBe(true)
    expect((await news.group('misc.test')).count).toBe(3)
    expect((await news.article(1)).messageId).toBe('<first@example.org>')
    expect((await news.head(3)).headers.get('subject')).toBe('Re: hello world')
    expect((await news.body(1)).body.toString()).toBe('Hello.\r\n.a line that starts with a dot\r\n')
    expect((await news.stat(2)).number).toBe(2)
    expect((await news.listGroup('misc.test')).numbers).toEqual([1, 2, 3])
    expect(await news.list('NEWSGROUPS')).toHaveLength(2)
    expect((await news.help()).length).toBeGreaterThan(0)
    expect((await news.article(3)).body.toString()).toBe('Third.\r\n')
    // POST takes no DATE after it (the article follows): its first byte alone releases the owed answers.
    const posted = await news.post('Newsgroups: misc.test\r\nFrom: a@b.example\r\nSubject: clock\r\n\r\nTick.\r\n')
    expect(posted.code).toBe(240)
    const lines = received(server).split('\r\n').filter((line) => line !== '' && !/^(Newsgroups|From|Subject|Tick|\.)/.test(line))
    // The reads in order, with a DATE wherever a block or a reply was held; DATE's answers were dropped.
    expect(lines.filter((line) => line !== 'DATE')).toEqual([
      'CAPABILITIES',
      'GROUP misc.test',
      'ARTICLE 1',
      'HEAD 3',
      'BODY 1',
      'STAT 2',
      'LISTGROUP misc.test',
      'LIST NEWSGROUPS',
      'HELP',
      'ARTICLE 3',
      'POST',
    ])
    expect(lines.filter((line) => line === 'DATE').length).toBeGreaterThanOrEqual(9)
  })

  it('refuses an NNTPS server whose certificate it does not trust', async () => {
    const server = await start({ tls: 'implicit' })
    await expect(NntpClient.connect(server.url())).rejects.toThrow(TlsError)
  })

  it('upgrades with STARTTLS when offered and asks CAPABILITIES again', async () => {
    const server = await start({ starttls: true })
    const news = await connect(server.url(), { tlsOptions: { ca: server.ca } })
    expect(news.secure).toBe(true)
    expect(news.capabilities.startTls).toBe(false)
    expect(received(server)).toBe('CAPABILITIES\r\nSTARTTLS\r\nCAPABILITIES\r\n')
  })

  it("fails with tls: 'required' when the server has no STARTTLS, and writes nothing more", async () => {
    const server = await start()
    const error = await NntpClient.connect(server.url(), { tls: 'required' }).catch((caught: unknown) => caught)
    expect(NntpReplyError.isInstance(error) && error.replyCode === 502).toBe(true)
  })

  it('stays in plaintext with opportunistic TLS when STARTTLS is not offered', async () => {
    const server = await start()
    const news = await connect(server.url())
    expect(news.secure).toBe(false)
    expect(received(server)).toBe('CAPABILITIES\r\n')
  })

  it('refuses plaintext injected after the STARTTLS go-ahead (CVE-2011-0411 class)', async () => {
    const server = await start({ starttls: true, quirks: { starttlsInjection: '211 1 1 1 evil.group\r\n' } })
    await expect(NntpClient.connect(server.url(), { tlsOptions: { ca: server.ca } })).rejects.toThrow(ProtocolError)
  })

  it('sends MODE READER to a mode-switching server (MODE-READER without READER) and reads again', async () => {
    const server = await start({ quirks: { modeReader: true } })
    const news = await connect(server.url())
    expect(news.capabilities.reader).toBe(true)
    expect(received(server)).toBe('CAPABILITIES\r\nMODE READER\r\nCAPABILITIES\r\n')
    expect((await news.group('misc.test')).count).toBe(3)
  })

  it('does not send MODE READER with readerMode: false (feeding)', async () => {
    const server = await start({ quirks: { modeReader: true } })
    const news = await connect(server.url(), { readerMode: false })
    expect(news.capabilities.streaming).toBe(true)
    expect(received(server)).toBe('CAPABILITIES\r\n')
  })

  it('logs in with AUTHINFO USER/PASS over TLS, the password never in the transcript', async () => {
    const server = await start({ starttls: true, auth: { user: 'dave', pass: 's3cret word' } })
    const lines: string[] = []
    const news = await connect(server.url({ user: 'dave', pass: 's3cret word' }), { tlsOptions: { ca: server.ca }, debug: (line) => lines.push(line) })
    expect(news.state).toBe('authenticated')
    expect(received(server)).toBe('CAPABILITIES\r\nSTARTTLS\r\nCAPABILITIES\r\nAUTHINFO USER dave\r\nAUTHINFO PASS s3cret word\r\nCAPABILITIES\r\n')
    expect(lines).toContain('C: AUTHINFO PASS ****')
    expect(lines.join('\n')).not.toContain('s3cret')
    expect((await news.group('misc.test')).count).toBe(3)
  })

  it('logs in with AUTHINFO SASL PLAIN when asked, redacted', async () => {
    const server = await start({ starttls: true, auth: { user: 'dave', pass: 'pw' } })
    const lines: string[] = []
    const news = await connect(server.url(), {
      tlsOptions: { ca: server.ca },
      auth: { user: 'dave', pass: 'pw', mechanism: 'PLAIN' },
      debug: (line) => lines.push(line),
    })
    expect(news.state).toBe('authenticated')
    expect(received(server)).toContain(`AUTHINFO SASL PLAIN ${Buffer.from('\0dave\0pw').toString('base64')}\r\n`)
    expect(lines).toContain('C: AUTHINFO SASL PLAIN ****')
  })

  it('chooses AUTHINFO SASL when AUTHINFO USER is not offered (PLAIN, allowed on loopback)', async () => {
    const server = await start({ auth: { user: 'dave', pass: 'pw' } })
    const news = await connect(server.url({ user: 'dave', pass: 'pw' }), { tls: 'none' })
    expect(news.state).toBe('authenticated')
    expect(received(server)).toBe(`CAPABILITIES\r\nAUTHINFO SASL PLAIN ${Buffer.from('\0dave\0pw').toString('base64')}\r\nCAPABILITIES\r\n`)
  })

  it('reports a wrong password as 481 and closes', async () => {
    const server = await start({ auth: { user: 'dave', pass: 'pw' } })
    const error = await NntpClient.connect(server.url({ user: 'dave', pass: 'wrong' })).catch((caught: unknown) => caught)
    expect(NntpReplyError.isInstance(error) && error.replyCode === 481 && error.isAuthenticationProblem).toBe(true)
    expect((error as Error).message).not.toContain('wrong')
  })

  it('refuses to send cleartext credentials to a non-loopback host without TLS', async () => {
    const server = await start({ auth: { user: 'dave', pass: 'pw' } })
    const error = await NntpClient.connect({
      host: 'news.example.org',
      port: server.port,
      tls: 'none',
      auth: { user: 'dave', pass: 'pw' },
      connect: () => connectSocket({ host: '127.0.0.1', port: server.port, timeout: 5000 }),
    }).catch((caught: unknown) => caught)
    expect(InvalidStateError.isInstance(error)).toBe(true)
    expect(received(server)).toBe('CAPABILITIES\r\n')
  })

  it('reads 480 for reading before login as a typed error', async () => {
    const server = await start({ auth: { user: 'dave', pass: 'pw' } })
    const news = await connect(server.url())
    const error = (await news.group('misc.test').catch((caught: unknown) => caught)) as NntpReplyError
    expect([error.replyCode, error.isAuthenticationProblem]).toEqual([480, true])
  })

  it('takes a 201 greeting as "no posting" and a 502 greeting as an error', async () => {
    const server = await start({ posting: false })
    expect((await connect(server.url())).postingAllowed).toBe(false)
    const refusing = await start({ greeting: '502 You have no permission to talk' })
    const error = await NntpClient.connect(refusing.url()).catch((caught: unknown) => caught)
    expect(NntpReplyError.isInstance(error) && error.replyCode === 502).toBe(true)
  })

  it('works with a server without CAPABILITIES (RFC 977)', async () => {
    const server = await start({ quirks: { noCapabilities: true } })
    const news = await connect(server.url())
    expect(news.capabilities.versions).toEqual([])
    expect((await news.group('misc.test')).count).toBe(3)
  })

  it('refuses a certificate made for another host', async () => {
    const certificates = await createTestCertificates({ hosts: ['other.example'], fresh: true })
    const server = await start({ tls: 'implicit', certificates })
    await expect(NntpClient.connect(server.url(), { tlsOptions: { ca: certificates.ca } })).rejects.toThrow(TlsError)
  })
})
