import { describe, expect, it } from 'vitest'
import { commandsPerWrite, recordingConnect } from './__fixtures__/recording-connect.ts'
import { Pop3Client } from './pop3-client.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'
import { Pop3TestServer } from './testing/index.ts'

const dave = { user: 'dave', pass: 'secret' }
const mailbox = (count: number): string[] => Array.from({ length: count }, (_, i) => `Subject: ${i + 1}\r\n\r\nbody ${i + 1}\r\n`)

async function collect(pop: Pop3Client, options: Parameters<Pop3Client['retrieveAll']>[0] = {}) {
  const seen = []
  for await (const message of pop.retrieveAll(options)) seen.push(message)
  return seen
}

describe('Pop3Client.retrieveAll', () => {
  it('pipelines RETR in batches of `window` in one write when the server offers PIPELINING', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: mailbox(10) } })
    const seam = recordingConnect()
    await using pop = await Pop3Client.connect({ host: server.host, port: server.port, connect: seam.connect, auth: dave })
    const before = seam.writes.length
    const seen = await collect(pop, { window: 4 })
    expect(seen.map((m) => m.body.toString())).toEqual(mailbox(10))
    expect(seen.map((m) => m.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(seen.map((m) => m.uid)).toEqual(server.messages('dave').map((m) => m.uid))
    expect(seen.map((m) => m.size)).toEqual(mailbox(10).map((m) => m.length))
    const writes = seam.writes.slice(before).map((w) => w.toString())
    expect(writes).toEqual(['LIST\r\n', 'UIDL\r\n', 'RETR 1\r\nRETR 2\r\nRETR 3\r\nRETR 4\r\n', 'RETR 5\r\nRETR 6\r\nRETR 7\r\nRETR 8\r\n', 'RETR 9\r\nRETR 10\r\n'])
  })

  it('goes lock-step, one command per write, without PIPELINING', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, pipelining: false, mailbox: { ...dave, messages: mailbox(5) } })
    const seam = recordingConnect()
    await using pop = await Pop3Client.connect({ host: server.host, port: server.port, connect: seam.connect, auth: dave })
    const seen = await collect(pop, { window: 16, delete: true })
    expect(seen.map((m) => m.body.toString())).toEqual(mailbox(5))
    expect(Math.max(...commandsPerWrite(seam.writes))).toBe(1)
    expect(seam.writes.map((w) => w.toString()).join('')).toContain('RETR 1\r\nRETR 2\r\nDELE 1\r\nRETR 3\r\nDELE 2\r\nRETR 4\r\n')
  })

  it('deletes what the loop moved past, with the next batch, committed at QUIT', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: mailbox(5) } })
    const seam = recordingConnect()
    const pop = await Pop3Client.connect({ host: server.host, port: server.port, connect: seam.connect, auth: dave })
    expect((await collect(pop, { delete: true, window: 2 })).length).toBe(5)
    await pop.close()
    expect(server.messages('dave')).toEqual([])
    const wire = seam.writes.map((w) => w.toString())
    expect(wire).toContain('RETR 3\r\nRETR 4\r\n')
    expect(wire).toContain('DELE 1\r\nDELE 2\r\nRETR 5\r\n')
    expect(wire).toContain('DELE 3\r\nDELE 4\r\nDELE 5\r\n')
  })

  it('leaves the message a loop broke out of, and those after it', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: mailbox(6) } })
    const pop = await Pop3Client.connect(server.url('pop3', dave))
    for await (const message of pop.retrieveAll({ delete: true, window: 4 })) {
      if (message.number === 3) break
    }
    await pop.close()
    expect(server.messages('dave').map((m) => m.body.toString())).toEqual(mailbox(6).slice(2))
  })

  it('skips the unique ids in `since` and lets other calls run inside the loop', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: mailbox(4) } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    const known = new Set(server.messages('dave').slice(0, 2).map((m) => m.uid))
    const numbers: number[] = []
    for await (const message of pop.retrieveAll({ since: known })) {
      numbers.push(message.number)
      expect((await pop.list(message.number)).size).toBe(message.size)
    }
    expect(numbers).toEqual([3, 4])
  })

  it('reads every pipelined answer after a refusal, throws it, and stays in step', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, replies: { RETR: '-ERR [SYS/TEMP] busy' }, mailbox: { ...dave, messages: mailbox(3) } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    await expect(collect(pop)).rejects.toMatchObject({ respCode: 'SYS/TEMP' })
    expect(await pop.stat()).toEqual({ count: 3, size: mailbox(3).join('').length })
  })

  it('serves a server without UIDL (ids undefined), but refuses `since` there', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, replies: { UIDL: '-ERR no UIDL here' }, mailbox: { ...dave, messages: mailbox(2) } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    expect((await collect(pop)).map((m) => m.uid)).toEqual([undefined, undefined])
    await expect(collect(pop, { since: ['x'] })).rejects.toThrow(Pop3ReplyError)
  })

  it('returns nothing for an empty maildrop', async () => {
    await using server = await Pop3TestServer.start({ starttls: false })
    await using pop = await Pop3Client.connect(server.url('pop3', { user: 'user', pass: 'pass' }))
    expect(await collect(pop)).toEqual([])
  })
})
