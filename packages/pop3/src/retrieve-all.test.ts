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
  it('pipelines RETR several to a write, sliding a window of `window` messages, when the server offers PIPELINING', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: mailbox(10) } })
    const flight = inFlightTracker()
    const seam = recordingConnect(undefined, flight.onWrite)
    await using pop = await Pop3Client.connect({ host: server.host, port: server.port, connect: seam.connect, auth: dave })
    const before = seam.writes.length
    const seen = []
    for await (const message of pop.retrieveAll({ window: 4 })) {
      flight.took(message.number, message.size)
      seen.push(message)
    }
    expect(seen.map((m) => m.body.toString())).toEqual(mailbox(10))
    expect(seen.map((m) => m.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(seen.map((m) => m.uid)).toEqual(server.messages('dave').map((m) => m.uid))
    expect(seen.map((m) => m.size)).toEqual(mailbox(10).map((m) => m.length))
    const writes = seam.writes.slice(before).map((w) => w.toString())
    expect(writes.slice(0, 3)).toEqual(['LIST\r\n', 'UIDL\r\n', 'RETR 1\r\nRETR 2\r\nRETR 3\r\nRETR 4\r\n'])
    expect(writes.slice(2).join('')).toBe(seen.map((m) => `RETR ${m.number}\r\n`).join(''))
    expect(flight.maxMessages).toBe(4) // sliding: RETR 5 goes once message 1 is taken, not after a batch of 4
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

  it('deletes what the loop moved past, with a later RETR, committed at QUIT', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: mailbox(5) } })
    let received: number[] = []
    let inBody = false
    const early: string[] = []
    const seam = recordingConnect(undefined, (chunk) => {
      for (const [, number] of chunk.toString('latin1').matchAll(/DELE (\d+)\r\n/g)) {
        const n = Number(number)
        // A DELE only for a message the loop has had, and moved past (asked for the next one, or ended).
        if (!received.includes(n) || (inBody && n === received.at(-1))) early.push(`DELE ${n}`)
      }
    })
    const pop = await Pop3Client.connect({ host: server.host, port: server.port, connect: seam.connect, auth: dave })
    for await (const message of pop.retrieveAll({ delete: true, window: 2 })) {
      inBody = true
      received = [...received, message.number]
      await new Promise((resolve) => setTimeout(resolve, 5))
      inBody = false
    }
    expect(received).toEqual([1, 2, 3, 4, 5])
    expect(early).toEqual([])
    await pop.close()
    expect(server.messages('dave')).toEqual([])
    const wire = seam.writes.map((w) => w.toString()).join('')
    expect(wire.match(/DELE \d+/g)).toEqual(['DELE 1', 'DELE 2', 'DELE 3', 'DELE 4', 'DELE 5'])
    expect(wire).toMatch(/DELE 1\r\n(DELE 2\r\n)?RETR \d\r\n/) // DELE rides with a later RETR
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

  it('bounds the octets in flight by `windowBytes` (LIST sizes), several RETR to a write, one message always', async () => {
    const big = Array.from({ length: 12 }, (_, i) => `Subject: ${i + 1}\r\n\r\n${`${'x'.repeat(76)}\r\n`.repeat(4000)}`) // ~305 KiB each
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: big } })
    const largest = Math.max(...big.map((message) => message.length))
    for (const [windowBytes, most] of [[1024 * 1024, 3], [200_000, 1]] as const) {
      const flight = inFlightTracker()
      const seam = recordingConnect(undefined, flight.onWrite)
      await using pop = await Pop3Client.connect({ host: server.host, port: server.port, connect: seam.connect, auth: dave })
      const sizes = new Map((await pop.list()).map((entry) => [entry.number, entry.size]))
      flight.sizes = sizes
      let count = 0
      for await (const message of pop.retrieveAll({ windowBytes })) {
        flight.took(message.number, message.size)
        expect(message.body.equals(Buffer.from(big[message.number - 1] ?? ''))).toBe(true)
        await pop.noop() // other calls inside the loop still go (the window never holds the wire waiting for the loop)
        await new Promise((resolve) => setTimeout(resolve, 2))
        count++
      }
      expect(count).toBe(12)
      expect(flight.firstRetrieveWrite).toBe(most) // 3 x ~305 KiB fit in 1 MiB; a message bigger than the bound goes alone
      expect(flight.maxMessages).toBe(most)
      expect(flight.maxBytes).toBeLessThanOrEqual(Math.max(windowBytes, largest))
    }
  })
})

/** Follows, at each write, the RETR sent whose message the loop has not taken yet (count and LIST octets). */
function inFlightTracker() {
  const tracker = {
    sizes: new Map<number, number>(),
    sent: new Map<number, number>(),
    maxMessages: 0,
    maxBytes: 0,
    firstRetrieveWrite: 0,
    onWrite(chunk: Buffer): void {
      const numbers = [...chunk.toString('latin1').matchAll(/RETR (\d+)\r\n/g)].map(([, n]) => Number(n))
      if (numbers.length > 0 && tracker.firstRetrieveWrite === 0) tracker.firstRetrieveWrite = numbers.length
      for (const n of numbers) tracker.sent.set(n, tracker.sizes.get(n) ?? 0)
      tracker.maxMessages = Math.max(tracker.maxMessages, tracker.sent.size)
      tracker.maxBytes = Math.max(tracker.maxBytes, [...tracker.sent.values()].reduce((a, b) => a + b, 0))
    },
    took(number: number, size: number): void {
      tracker.sizes.set(number, size)
      tracker.sent.delete(number)
    },
  }
  return tracker
}
