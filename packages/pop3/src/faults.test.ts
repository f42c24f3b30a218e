import { AbortError, ClosedError, ConnectionError, NetcError, ProtocolError, TimeoutError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { Pop3Client } from './pop3-client.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'
import { Pop3TestServer } from './testing/index.ts'

const dave = { user: 'dave', pass: 'secret' }
const messages = ['Subject: one\r\n\r\nfirst\r\n', 'Subject: two\r\n\r\nsecond\r\n']

/** What one full session sends: greeting, CAPA, login, LIST, RETR 1, QUIT. */
async function fullSessionBytes(): Promise<number> {
  await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages } })
  const pop = await Pop3Client.connect(server.url('pop3', dave))
  await pop.list()
  await pop.retrieve(1)
  await pop.close()
  return server.sessions[0]!.sent.length
}

describe('faults', () => {
  it('EOF at every byte of a session: an error, never a hang or a wrong answer', async () => {
    const total = await fullSessionBytes()
    for (let cut = 0; cut < total; cut += 3) {
      await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages }, faults: { closeAfterBytes: cut } })
      const outcome = await (async () => {
        const pop = await Pop3Client.connect(server.url('pop3', dave), { timeouts: { reply: 5000, greeting: 5000 } })
        const list = await pop.list()
        const body = await pop.retrieve(1)
        expect(list).toHaveLength(2)
        expect(body.toString()).toBe(messages[0])
        await pop.close()
        return 'completed'
      })().catch((error: unknown) => error)
      if (outcome !== 'completed') {
        expect(NetcError.isInstance(outcome)).toBe(true)
        expect(ConnectionError.isInstance(outcome) || ClosedError.isInstance(outcome) || ProtocolError.isInstance(outcome)).toBe(true)
      }
    }
  })

  it('a stalled greeting is a TimeoutError (phase greeting)', async () => {
    await using server = await Pop3TestServer.start({ faults: { stallAfterBytes: 0 } })
    const error = await Pop3Client.connect(server.url('pop3', dave), { timeouts: { greeting: 150 } }).catch((e: unknown) => e)
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ phase: 'greeting' })
  })

  it('a body that stalls midway is a TimeoutError (phase data) and closes the session', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: [Buffer.alloc(100_000, 'z')] }, faults: { stallAfterBytes: 20_000 } })
    const pop = await Pop3Client.connect(server.url('pop3', dave), { timeouts: { data: 150 } })
    const error = await pop.retrieve(1).catch((e: unknown) => e)
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ phase: 'data' })
    expect(pop.state).toBe('closed')
    await expect(pop.noop()).rejects.toThrow(/closed/)
  })

  it('an oversized status line is a ProtocolError', async () => {
    await using server = await Pop3TestServer.start({ greeting: `+OK ${'x'.repeat(5000)}` })
    await expect(Pop3Client.connect(server.url('pop3', dave), { limits: { maxLineLength: 1024 } })).rejects.toThrow(ProtocolError)
  })

  it('an oversized listing is a ProtocolError', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: Array.from({ length: 200 }, () => 'm\r\n') } })
    const pop = await Pop3Client.connect(server.url('pop3', dave), { limits: { maxListingBytes: 500 } })
    await expect(pop.list()).rejects.toThrow(/limit of 500 bytes/)
  })

  it('a greeting that is not POP3 is a ProtocolError', async () => {
    await using server = await Pop3TestServer.start({ greeting: '220 smtp.example.com ESMTP' })
    await expect(Pop3Client.connect(server.url('pop3', dave))).rejects.toThrow(/malformed POP3 status line/)
  })

  it('garbage before the greeting is a ProtocolError', async () => {
    await using server = await Pop3TestServer.start({ faults: { garbage: Buffer.from('\u0016\u0003\u0001 binary noise\r\n') } })
    await expect(Pop3Client.connect(server.url('pop3', dave))).rejects.toThrow(ProtocolError)
  })

  it('a -ERR greeting is a Pop3ReplyError with its code', async () => {
    await using server = await Pop3TestServer.start({ greeting: '-ERR [SYS/TEMP] overloaded, come back later' })
    await expect(Pop3Client.connect(server.url('pop3', dave))).rejects.toMatchObject({ respCode: 'SYS/TEMP', message: 'server replied: -ERR [SYS/TEMP] overloaded, come back later' })
  })

  it('plaintext injected after the STLS +OK is refused before the handshake (CVE-2011-0411)', async () => {
    await using server = await Pop3TestServer.start({ injectAfterStls: '+OK injected\r\n', mailbox: { ...dave, messages } })
    const error = await Pop3Client.connect(server.url('pop3', dave), { tls: { ca: server.ca } }).catch((e: unknown) => e)
    expect(ProtocolError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/injection/)
    expect(server.sessions[0]!.received.toString()).toBe('CAPA\r\nSTLS\r\n')
  })

  it('an abort signal stops connecting', async () => {
    await using server = await Pop3TestServer.start({ faults: { stallAfterBytes: 10 } })
    const controller = new AbortController()
    const connecting = Pop3Client.connect(server.url('pop3', dave), { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('user gave up')), 50)
    const error = await connecting.catch((e: unknown) => e)
    expect(AbortError.isInstance(error)).toBe(true)
  })

  it('an abort signal stops a call and closes the session', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: [Buffer.alloc(100_000, 'q')] }, faults: { stallAfterBytes: 5000 } })
    const pop = await Pop3Client.connect(server.url('pop3', dave))
    const controller = new AbortController()
    const retrieving = pop.retrieve(1, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('user gave up')), 50)
    const error = await retrieving.catch((e: unknown) => e)
    expect(AbortError.isInstance(error)).toBe(true)
    expect(pop.state).toBe('closed')
  })

  it('a -ERR to a pipelined batch does not desynchronise the session', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, replies: { DELE: '-ERR [SYS/PERM] read-only maildrop' }, mailbox: { ...dave, messages } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    const seen: number[] = []
    const error = await (async () => {
      for await (const message of pop.retrieveAll({ delete: true, window: 1 })) seen.push(message.number)
    })().catch((e: unknown) => e)
    expect(Pop3ReplyError.isInstance(error)).toBe(true)
    expect(seen).toEqual([1, 2])
    expect((await pop.retrieve(2)).toString()).toBe(messages[1])
  })
})
