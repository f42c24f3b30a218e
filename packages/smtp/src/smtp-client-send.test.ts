import { Readable } from 'node:stream'
import { InvalidArgumentError, InvalidStateError, connectSocket, type ConnectFunction } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { SmtpRecipientsRejectedError } from './recipients-rejected-error.ts'
import { SmtpClient } from './smtp-client.ts'
import type { SmtpClientOptions } from './smtp-client-options.ts'
import { SmtpReplyError } from './smtp-reply-error.ts'
import { SmtpTestServer } from './testing/smtp-test-server.ts'
import type { SmtpTestServerOptions } from './testing/smtp-test-server-options.ts'

/**
 * A connect seam that records every write the client makes, as the socket sees it, and in `transcript`
 * both directions in the order the client saw them (`C: ` writes, `S: ` reads).
 */
function recordingConnect(writes: Buffer[], transcript: string[] = []): ConnectFunction {
  return async (options) => {
    const socket = await connectSocket(options)
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      writes.push(Buffer.from(chunk as Uint8Array))
      transcript.push(`C: ${Buffer.from(chunk as Uint8Array).toString('latin1')}`)
      return write(chunk, ...rest)
    }) as typeof socket.write
    socket.prependListener('data', (chunk: Buffer) => transcript.push(`S: ${chunk.toString('latin1')}`))
    return socket
  }
}

async function setup(serverOptions: SmtpTestServerOptions = {}, clientOptions: SmtpClientOptions = {}) {
  const server = await SmtpTestServer.start({
    starttls: false,
    reject: { recipients: (address) => (address.startsWith('nobody') ? `550 5.1.1 <${address}>: Recipient address rejected` : undefined) },
    ...serverOptions,
  })
  const writes: Buffer[] = []
  const transcript: string[] = []
  const client = await SmtpClient.connect({ host: server.host, port: server.port, name: 'client.test', tls: 'none', connect: recordingConnect(writes, transcript), ...clientOptions })
  return { server, client, writes, transcript, [Symbol.asyncDispose]: async () => { await client.close(); await server.close() } }
}

const message = 'Subject: hi\n\nline one\n.\n..dots\r\nend'
const delivered = Buffer.from('Subject: hi\r\n\r\nline one\r\n.\r\n..dots\r\nend\r\n')

describe('SmtpClient.send', () => {
  it('PIPELINING: MAIL, every RCPT and DATA in one write; every recipient reported', async () => {
    await using t = await setup({ chunking: false })
    t.writes.length = 0
    const result = await t.client.send({ from: 'a@example.com', to: ['b@example.com', 'nobody@example.com', 'c@example.com'] }, message)
    expect(t.writes[0]?.toString()).toBe(
      `MAIL FROM:<a@example.com> SIZE=${Buffer.byteLength(message)} BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<nobody@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n`,
    )
    expect(t.writes[1]?.toString()).toBe(delivered.toString().replace('\r\n.\r\n', '\r\n..\r\n').replace('\r\n..dots', '\r\n...dots') + '.\r\n')
    expect(t.writes).toHaveLength(2)
    expect(result.accepted).toEqual(['b@example.com', 'c@example.com'])
    expect(result.rejected).toHaveLength(1)
    expect(result.rejected[0]?.recipient).toBe('nobody@example.com')
    expect(result.rejected[0]?.error.replyCode).toBe(550)
    expect(result.rejected[0]?.error.enhancedStatus).toBe('5.1.1')
    expect(result.response).toEqual({ code: 250, lines: ['2.0.0 Ok: queued as FAKE1'] })
    expect(t.server.messages[0]?.message.equals(delivered)).toBe(true)
    expect(t.server.messages[0]?.envelope).toMatchObject({ from: 'a@example.com', to: ['b@example.com', 'c@example.com'] })
    expect(t.server.messages[0]?.transfer).toBe('DATA')
  })

  it('CHUNKING + PIPELINING: MAIL, RCPT, BDAT LAST and a Buffer message in one write (RFC 3030 section 4.2)', async () => {
    await using t = await setup()
    t.writes.length = 0
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, Buffer.from(message))
    expect(t.writes.map(String)).toEqual([
      `MAIL FROM:<a@example.com> SIZE=${Buffer.byteLength(message)} BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\n` +
        `BDAT ${delivered.length} LAST\r\n` +
        delivered.toString(),
    ])
    expect(t.server.messages[0]).toMatchObject({ transfer: 'BDAT', message: delivered })
  })

  it('CHUNKING + PIPELINING: a message over 64 KiB waits for the envelope replies, then BDAT LAST and the message', async () => {
    await using t = await setup()
    t.writes.length = 0
    const big = Buffer.from(`Subject: big\r\n\r\n${'x'.repeat(76)}\r\n`.repeat(1000))
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, big)
    expect(t.writes[0]?.toString()).toBe(`MAIL FROM:<a@example.com> SIZE=${big.length} BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\n`)
    expect(Buffer.concat(t.writes.slice(1)).equals(Buffer.concat([Buffer.from(`BDAT ${big.length} LAST\r\n`), big]))).toBe(true)
    expect(t.server.messages[0]).toMatchObject({ transfer: 'BDAT', message: big })
    // With bare line ends (checked while the server answers the envelope) it goes normalised, once.
    t.writes.length = 0
    const bare = `${'y'.repeat(76)}\n`.repeat(1000) + 'end\r'
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, bare)
    const normalised = Buffer.from(bare.replace(/\r|\n/g, '\r\n'))
    expect(Buffer.concat(t.writes.slice(1)).equals(Buffer.concat([Buffer.from(`BDAT ${normalised.length} LAST\r\n`), normalised]))).toBe(true)
    expect(t.server.messages[1]).toMatchObject({ transfer: 'BDAT', message: normalised })
  })

  it('CHUNKING: a stream goes in chunks, no dot-stuffing, CRLF normalised', async () => {
    await using t = await setup()
    const parts = Array.from({ length: 50 }, (_, i) => `line ${i}\n.${i}\r`)
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, Readable.from(parts), { chunkSize: 64 })
    const expected = Buffer.from(parts.join('').replace(/\r|\n/g, '\r\n'))
    expect(t.server.messages[0]?.message.equals(expected)).toBe(true)
    const sent = t.writes.map(String).join('')
    expect(sent.match(/BDAT \d+\r\n/g)?.length).toBeGreaterThan(5)
    expect(sent).toMatch(/BDAT \d+ LAST\r\n/)
  })

  it('CHUNKING + PIPELINING: a stream sends its first chunk with the envelope, one write; a short one goes whole as LAST', async () => {
    await using t = await setup()
    t.writes.length = 0
    const parts = Array.from({ length: 20 }, (_, i) => `line ${i}\r\n`)
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, Readable.from(parts), { chunkSize: 64 })
    expect(t.writes[0]?.toString()).toMatch(/^MAIL FROM:<a@example.com> BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\nBDAT \d+\r\nline 0\r\n/)
    expect(t.server.messages[0]?.message.toString()).toBe(parts.join(''))
    t.writes.length = 0
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, Readable.from(['short\n', 'one\n']))
    expect(t.writes.map(String)).toEqual(['MAIL FROM:<a@example.com> BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\nBDAT 12 LAST\r\nshort\r\none\r\n'])
    expect(t.server.messages[1]?.message.toString()).toBe('short\r\none\r\n')
  })

  it('CHUNKING + PIPELINING: a stream whose first chunk is over 64 KiB sends the envelope alone and waits for its replies', async () => {
    await using t = await setup({ reject: { mail: (from) => (from === 'spam@example.com' ? '553 5.7.1 go away' : undefined) } })
    const line = `${'z'.repeat(98)}\r\n`
    const parts = () => Readable.from(Array.from({ length: 3000 }, () => line)) // 300,000 bytes
    t.writes.length = 0
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, parts(), { chunkSize: 100_000 })
    expect(t.writes[0]?.toString()).toBe('MAIL FROM:<a@example.com> BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\n')
    expect(t.server.messages[0]?.message.equals(Buffer.from(line.repeat(3000)))).toBe(true)
    // A refused envelope: no chunk was sent in vain; RSET, and the client stays usable.
    t.writes.length = 0
    const error = await t.client.send({ from: 'spam@example.com', to: ['b@example.com'] }, parts(), { chunkSize: 100_000 }).catch((e: unknown) => e)
    expect((error as SmtpReplyError).replyCode).toBe(553)
    expect(t.writes.map(String)).toEqual(['MAIL FROM:<spam@example.com> BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\n', 'RSET\r\n'])
    expect(t.client.state).toBe('ready')
  })

  it('CHUNKING + PIPELINING: each chunk of a stream goes after the reply to the one before (no Nagle stall at the end)', async () => {
    await using t = await setup()
    t.transcript.length = 0
    const parts = Array.from({ length: 40 }, (_, i) => `line ${String(i).padStart(3, '0')}\r\n`) // 40 lines of 10 bytes
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, Readable.from(parts), { chunkSize: 100 })
    expect(t.server.messages[0]?.message.toString()).toBe(parts.join(''))
    // Before each BDAT after the first, every command written so far has been answered.
    let commands = 0
    let replies = 0
    const waits: string[] = []
    for (const entry of t.transcript) {
      const text = entry.slice(3)
      if (entry.startsWith('S: ')) replies += text.match(/^\d{3} /gm)?.length ?? 0
      else {
        if (text.startsWith('BDAT ') && commands > 0) waits.push(`${replies} of ${commands}`)
        commands += text.match(/^(MAIL|RCPT|BDAT) /gm)?.length ?? 0
      }
    }
    // MAIL + RCPT + BDAT 100 in one write, then three chunks of 100, the last one `BDAT 100 LAST` (a stream
    // that ends on a chunk boundary needs no `BDAT 0 LAST`).
    expect(waits).toEqual(['3 of 3', '4 of 4', '5 of 5'])
    const bdats = t.transcript.flatMap((entry) => (entry.startsWith('C: ') ? entry.slice(3).split('\n') : [])).filter((line) => line.startsWith('BDAT'))
    expect(bdats.map((line) => line.trimEnd())).toEqual(['BDAT 100', 'BDAT 100', 'BDAT 100', 'BDAT 100 LAST'])
  })

  it('CHUNKING + PIPELINING: every recipient refused: the BDAT is refused too, RSET, the client stays usable', async () => {
    await using t = await setup()
    t.writes.length = 0
    const error = await t.client.send({ from: 'a@example.com', to: ['nobody@example.com', 'nobody2@example.com'] }, 'x\r\n').catch((e: unknown) => e)
    expect(SmtpRecipientsRejectedError.isInstance(error)).toBe(true)
    expect((error as SmtpRecipientsRejectedError).rejected.map((entry) => entry.error.replyCode)).toEqual([550, 550])
    expect(t.writes.map(String)).toEqual([
      'MAIL FROM:<a@example.com> SIZE=3 BODY=8BITMIME\r\nRCPT TO:<nobody@example.com>\r\nRCPT TO:<nobody2@example.com>\r\nBDAT 3 LAST\r\nx\r\n',
      'RSET\r\n',
    ])
    expect(t.client.state).toBe('ready')
    const result = await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'again\r\n')
    expect(result.response.code).toBe(250)
    expect(t.server.messages.map((m) => m.message.toString())).toEqual(['again\r\n'])
  })

  it('CHUNKING + PIPELINING: a refused MAIL fails the send (after the BDAT reply), RSET, the client stays usable', async () => {
    await using t = await setup({ reject: { mail: (from) => (from === 'spam@example.com' ? '553 5.7.1 go away' : undefined) } })
    const stream = Readable.from(Array.from({ length: 10 }, () => 'y'.repeat(30) + '\r\n'))
    for (const source of ['x\r\n', stream]) {
      const error = await t.client.send({ from: 'spam@example.com', to: ['b@example.com'] }, source, { chunkSize: 64 }).catch((e: unknown) => e)
      expect((error as SmtpReplyError).replyCode).toBe(553)
      expect(t.client.state).toBe('ready')
    }
    expect(t.server.sessions[0]?.received.toString()).toMatch(/RSET\r\n$/)
    expect(t.server.sessions[0]?.received.toString().match(/BDAT 64\r\n/g)).toHaveLength(1)
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'ok')
    expect(t.server.messages).toHaveLength(1)
    expect(await t.client.noop()).toMatchObject({ code: 250 })
  })

  it('without PIPELINING: one command per write, waiting for each reply', async () => {
    await using t = await setup({ pipelining: false, chunking: false })
    t.writes.length = 0
    await t.client.send({ from: 'a@example.com', to: ['b@example.com', 'c@example.com'] }, 'x')
    expect(t.writes.map(String)).toEqual([
      'MAIL FROM:<a@example.com> SIZE=1 BODY=8BITMIME\r\n',
      'RCPT TO:<b@example.com>\r\n',
      'RCPT TO:<c@example.com>\r\n',
      'DATA\r\n',
      'x\r\n.\r\n',
    ])
  })

  it('no recipient accepted: SmtpRecipientsRejectedError, RSET, and the client stays usable', async () => {
    await using t = await setup({ chunking: false })
    const error = await t.client.send({ from: 'a@example.com', to: ['nobody@example.com', 'nobody2@example.com'] }, 'x').catch((e: unknown) => e)
    expect(SmtpRecipientsRejectedError.isInstance(error)).toBe(true)
    expect(SmtpReplyError.isInstance(error)).toBe(true)
    const rejected = error as SmtpRecipientsRejectedError
    expect(rejected.rejected.map((entry) => entry.recipient)).toEqual(['nobody@example.com', 'nobody2@example.com'])
    expect(rejected.message).toMatch(/^no recipient accepted: RCPT TO:<nobody@example.com> failed: 550 5.1.1/)
    expect(t.client.state).toBe('ready')
    expect(t.server.sessions[0]?.received.toString()).toMatch(/DATA\r\nRSET\r\n$/)
    await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'again')
    expect(t.server.messages).toHaveLength(1)
  })

  it('a refused MAIL or message is an SmtpReplyError; RSET follows', async () => {
    await using t = await setup({
      reject: { mail: (from) => (from === 'spam@example.com' ? '553 5.7.1 go away' : undefined), data: () => '554 5.6.0 bad message' },
    })
    const mail = await t.client.send({ from: 'spam@example.com', to: ['b@example.com'] }, 'x').catch((e: unknown) => e)
    expect((mail as SmtpReplyError).enhancedStatus).toBe('5.7.1')
    expect((mail as Error).message).toMatch(/^MAIL FROM:<spam@example.com> .*failed: 553 5.7.1 go away/)
    const data = await t.client.send({ from: 'a@example.com', to: ['b@example.com'] }, 'x').catch((e: unknown) => e)
    expect((data as SmtpReplyError).replyCode).toBe(554)
    expect(t.client.state).toBe('ready')
    expect(await t.client.noop()).toMatchObject({ code: 250 })
  })

  it('refuses unsafe addresses before anything is written', async () => {
    await using t = await setup()
    t.writes.length = 0
    for (const to of ['b@example.com>\r\nRCPT TO:<evil@example.com', 'b@x\n', '<b@x>']) {
      await expect(t.client.send({ from: 'a@example.com', to: [to] }, 'x')).rejects.toThrow(InvalidArgumentError)
    }
    await expect(t.client.send({ from: 'a@x\r\nRSET', to: ['b@x'] }, 'x')).rejects.toThrow(InvalidArgumentError)
    await expect(t.client.send({ from: 'a@x', to: [] }, 'x')).rejects.toThrow(InvalidArgumentError)
    expect(t.writes).toEqual([])
    expect(t.client.state).toBe('ready')
  })

  it('SMTPUTF8 for UTF-8 addresses; without it a UTF-8 local part is refused', async () => {
    await using t = await setup()
    await t.client.send({ from: 'jürgen@bücher.example', to: ['dave@bücher.example'] }, 'Subject: ü\n\nü')
    expect(t.server.messages[0]?.envelope.from).toBe('jürgen@bücher.example')
    expect(t.server.messages[0]?.envelope.mailParameters).toContain('SMTPUTF8')
    await using u = await setup({ smtpUtf8: false })
    await expect(u.client.send({ from: 'jürgen@example.com', to: ['b@x'] }, 'x')).rejects.toThrow(/SMTPUTF8/)
    await u.client.send({ from: 'a@example.com', to: ['dave@bücher.example'] }, 'x')
    expect(u.server.messages[0]?.envelope.to).toEqual(['dave@xn--bcher-kva.example'])
  })

  it('DSN parameters', async () => {
    await using t = await setup()
    await t.client.send({ from: 'a@x.test', to: ['b@x.test'], dsn: { ret: 'headers', envelopeId: 'id 1', notify: ['failure', 'delay'], orcpt: true } }, 'x')
    expect(t.server.messages[0]?.envelope.mailParameters).toEqual(['SIZE=1', 'BODY=8BITMIME', 'RET=HDRS', 'ENVID=id+201'])
    expect(t.server.messages[0]?.envelope.rcptParameters).toEqual([['NOTIFY=FAILURE,DELAY', 'ORCPT=rfc822;b@x.test']])
  })

  it('SIZE: a message over the limit is refused before it is sent', async () => {
    await using t = await setup({ size: 10 })
    await expect(t.client.send({ from: 'a@x.test', to: ['b@x.test'] }, 'x'.repeat(11))).rejects.toThrow(/SIZE limit of 10/)
  })

  it('concurrent sends are queued, not refused', async () => {
    await using t = await setup()
    await Promise.all([1, 2, 3].map((n) => t.client.send({ from: 'a@x.test', to: [`b${n}@x.test`] }, `n${n}`)))
    expect(t.server.messages.map((m) => m.envelope.to[0])).toEqual(['b1@x.test', 'b2@x.test', 'b3@x.test'])
  })

  it.each(['data', 'bdat'] as const)('LMTP (%s): one reply per accepted recipient after the message', async (transfer) => {
    await using t = await setup({ lmtp: true, chunking: transfer === 'bdat', reject: { lmtp: (to) => (to === 'full@x.test' ? '452 4.2.2 Mailbox full' : undefined) } }, { lmtp: true })
    const result = await t.client.send({ from: 'a@x.test', to: ['b@x.test', 'full@x.test', 'c@x.test'] }, 'x')
    expect(result.accepted).toEqual(['b@x.test', 'c@x.test'])
    expect(result.rejected.map((r) => [r.recipient, r.error.replyCode, r.error.enhancedStatus])).toEqual([['full@x.test', 452, '4.2.2']])
    expect(t.server.messages[0]?.envelope.to).toEqual(['b@x.test', 'c@x.test'])
    await t.client.noop()
  })
})

describe('lower-level verbs', () => {
  it('mail, rcpt, data, reset, noop, verify with explicit states', async () => {
    await using t = await setup({ chunking: false })
    expect(t.client.state).toBe('ready')
    await expect(t.client.rcpt('b@x.test')).rejects.toThrow(InvalidStateError)
    await expect(t.client.mail('a@x.test>\r\nRSET')).rejects.toThrow(InvalidArgumentError)
    await t.client.mail('a@x.test', ['BODY=8BITMIME'])
    expect(t.client.state).toBe('mail')
    await expect(t.client.rcpt('nobody@x.test')).rejects.toThrow(SmtpReplyError)
    expect(t.client.state).toBe('mail')
    await t.client.rcpt('b@x.test')
    expect(t.client.state).toBe('recipients')
    const [reply] = await t.client.data('hello\n.\n')
    expect(reply?.code).toBe(250)
    expect(t.client.state).toBe('ready')
    expect(t.server.messages[0]?.message.toString()).toBe('hello\r\n.\r\n')
    await t.client.mail('a@x.test')
    await t.client.reset()
    expect(t.client.state).toBe('ready')
    expect((await t.client.verify('dave')).code).toBe(252)
    expect((await t.client.noop()).code).toBe(250)
    await t.client.close()
    expect(t.client.state).toBe('closed')
  })

  it('bdat chunk by chunk', async () => {
    await using t = await setup()
    await t.client.mail('a@x.test')
    await t.client.rcpt('b@x.test')
    await t.client.bdat('one\r\n')
    expect(t.client.state).toBe('chunking')
    await t.client.bdat(Buffer.from('two\r\n'), { last: true })
    expect(t.server.messages[0]?.message.toString()).toBe('one\r\ntwo\r\n')
    expect(t.client.state).toBe('ready')
  })
})
