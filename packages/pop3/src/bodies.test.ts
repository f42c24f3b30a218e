import { randomBytes } from 'node:crypto'
import { buffer } from 'node:stream/consumers'
import { DotDecoder } from '@netc/transport'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Pop3Client } from './pop3-client.ts'
import { Pop3TestServer, encodeMultiLine, wireMessage } from './testing/index.ts'

const dave = { user: 'dave', pass: 'secret' }

// The "It must show": these come back exact, through retrieve, retrieveStream and retrieveAll.
const cases: Array<[string, Buffer, Buffer]> = [
  ['a line that is only "..", and ".." at a line start', Buffer.from('Subject: dots\r\n\r\n..\r\n..leading\r\nmid..dle\r\n'), Buffer.from('Subject: dots\r\n\r\n..\r\n..leading\r\nmid..dle\r\n')],
  ['a lone "." line inside the body', Buffer.from('Subject: lone\r\n\r\nbefore\r\n.\r\nafter\r\n'), Buffer.from('Subject: lone\r\n\r\nbefore\r\n.\r\nafter\r\n')],
  ['a body that starts with "."', Buffer.from('.hidden\r\n'), Buffer.from('.hidden\r\n')],
  ['no final CRLF: the server ends the line, and that CRLF is all the client adds', Buffer.from('Subject: x\r\n\r\nno newline at the end'), Buffer.from('Subject: x\r\n\r\nno newline at the end\r\n')],
  ['an empty message', Buffer.alloc(0), Buffer.alloc(0)],
  ['a 2 MB body without a single line break', Buffer.alloc(2 * 1024 * 1024, 'x'), Buffer.concat([Buffer.alloc(2 * 1024 * 1024, 'x'), Buffer.from('\r\n')])],
  ['bare LF and CR kept as they are', Buffer.from('a\nb\rc\n.d\r\n'), Buffer.from('a\nb\rc\n.d\r\n')],
  ['".\\r\\n" at the very end, after content', Buffer.from('end\r\n.\r\n'), Buffer.from('end\r\n.\r\n')],
]

describe('message bodies come back exact', () => {
  it.each(cases)('%s', async (_name, stored, expected) => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: [stored, 'next\r\n'] } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    expect((await pop.retrieve(1)).equals(expected)).toBe(true)
    expect((await buffer(await pop.retrieveStream(1))).equals(expected)).toBe(true)
    const all = []
    for await (const message of pop.retrieveAll()) all.push(message.body)
    expect(all[0]!.equals(expected)).toBe(true)
    expect(all[0]!.length).toBe((await pop.list(1)).size)
    expect((await pop.retrieve(2)).toString()).toBe('next\r\n')
  })

  it('with every reply split at every byte (the terminator too)', async () => {
    const tricky = Buffer.from('Subject: split\r\n\r\n..\r\n.\r\nx\r\n.\r')
    await using server = await Pop3TestServer.start({ starttls: false, faults: { splitWrites: 'byte' }, mailbox: { ...dave, messages: [tricky, 'b\r\n'] } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    const expected = wireMessage(tricky)
    expect((await pop.retrieve(1)).equals(expected)).toBe(true)
    expect((await buffer(await pop.retrieveStream(1))).equals(expected)).toBe(true)
    expect(await pop.uidl()).toHaveLength(2)
    expect((await pop.retrieve(2)).toString()).toBe('b\r\n')
  })

  it('with a terminator split at every position between two writes', async () => {
    const body = Buffer.from('line\r\n..\r\nlast\r\n')
    const wire = Buffer.concat([Buffer.from('+OK\r\n'), encodeMultiLine(body), Buffer.from('+OK 1 17\r\n')])
    for (let cut = 1; cut < wire.length; cut++) {
      await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: [body] }, faults: { splitWrites: cut } })
      await using pop = await Pop3Client.connect(server.url('pop3', dave))
      expect((await pop.retrieve(1)).equals(body)).toBe(true)
      expect(await pop.list(1)).toEqual({ number: 1, size: body.length })
    }
  })

  it('random binary bodies round-trip exactly (property, one server)', async () => {
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: [] } })
    const alphabet = fc.constantFrom(...[0x2e, 0x0d, 0x0a, 0x41, 0x00, 0xff].map((b) => Buffer.from([b])))
    const bodyArbitrary = fc.oneof(
      fc.array(alphabet, { maxLength: 64 }).map((parts) => Buffer.concat(parts)),
      fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
    )
    await fc.assert(
      fc.asyncProperty(bodyArbitrary, async (body) => {
        server.deliver('dave', body)
        const pop = await Pop3Client.connect(server.url('pop3', dave))
        const count = (await pop.stat()).count
        const got = await pop.retrieve(count)
        await pop.delete(count)
        await pop.close()
        expect(got.equals(wireMessage(body))).toBe(true)
      }),
      { numRuns: 60 },
    )
  })
})

describe('encodeMultiLine (the fake server) against the transport decoder', () => {
  it('round-trips any bytes, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 17 }), (bytes, size) => {
        const wire = wireMessage(Buffer.from(bytes))
        const encoded = Buffer.concat([encodeMultiLine(wire), Buffer.from('+OK')])
        const decoder = new DotDecoder()
        const out: Buffer[] = []
        let rest: Buffer | undefined
        for (let at = 0; at < encoded.length && !decoder.done; at += size) {
          const result = decoder.push(encoded.subarray(at, at + size))
          out.push(...result.chunks)
          if (result.done) rest = Buffer.concat([result.rest ?? Buffer.alloc(0), encoded.subarray(at + size)])
        }
        expect(Buffer.concat(out).equals(wire)).toBe(true)
        expect(rest?.toString()).toBe('+OK')
      }),
    )
  })

  it('random 64 KiB binary message', async () => {
    const body = randomBytes(64 * 1024)
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: [body] } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    expect((await pop.retrieve(1)).equals(wireMessage(body))).toBe(true)
  })
})
