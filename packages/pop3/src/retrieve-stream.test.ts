import { buffer } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { Pop3Client } from './pop3-client.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'
import { Pop3TestServer } from './testing/index.ts'

const dave = { user: 'dave', pass: 'secret' }

describe('Pop3Client.retrieveStream', () => {
  it('streams the exact octets and keeps later calls queued until the stream ends', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 'abcdefghij\r\n.dot\r\n')
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: [big, 'small\r\n'] } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    const stream = await pop.retrieveStream(1)
    const order: string[] = []
    const stat = pop.stat().then((value) => {
      order.push('stat')
      return value
    })
    const body = await buffer(stream).then((value) => {
      order.push('body')
      return value
    })
    expect(body.equals(big)).toBe(true)
    expect((await stat).count).toBe(2)
    expect(order).toEqual(['body', 'stat'])
  })

  it('drops the rest of a stream destroyed early and stays in step', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, '0123456789\r\n')
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: [big, 'second\r\n'] } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    const stream = await pop.retrieveStream(1)
    for await (const chunk of stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0)
      break
    }
    expect((await pop.retrieve(2)).toString()).toBe('second\r\n')
    const untouched = await pop.retrieveStream(1)
    untouched.destroy()
    expect((await pop.retrieve(2)).toString()).toBe('second\r\n')
  })

  it('rejects with Pop3ReplyError before any stream exists', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: ['x\r\n'] } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    await expect(pop.retrieveStream(9)).rejects.toThrow(Pop3ReplyError)
    expect((await buffer(await pop.retrieveStream(1))).toString()).toBe('x\r\n')
  })

  it('destroys the stream with the error when the connection breaks mid-body', async () => {
    const big = Buffer.alloc(512 * 1024, 'y')
    await using server = await Pop3TestServer.start({ starttls: false, faults: { closeAfterBytes: 400_000 }, mailbox: { ...dave, messages: [big] } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    const stream = await pop.retrieveStream(1)
    await expect(buffer(stream)).rejects.toThrow(/closed/)
    expect(pop.state).toBe('closed')
  })
})
