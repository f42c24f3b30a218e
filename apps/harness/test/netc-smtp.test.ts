// @netc/smtp against a real postfix 3.7 (started by the harness itself: plain + STARTTLS with AUTH after TLS
// through dovecot, and smtps).
import { randomUUID } from 'node:crypto'
import { Readable, type Duplex } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { SmtpClient, SmtpPool, SmtpRecipientsRejectedError, type SmtpClientOptions } from '@netc/smtp'
import { TimeoutError, TlsError, connectSocket } from '@netc/transport'
import { keepDomain, postfixMechanisms, startPostfix, type SmtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

let postfix: SmtpDaemon

daemonHooks(startPostfix, (daemon) => {
  postfix = daemon
})

function connect(options: SmtpClientOptions = {}): Promise<SmtpClient> {
  return SmtpClient.connect({ host: postfix.host, port: postfix.port, name: 'client.netc.test', tls: { mode: 'required', ca: postfix.ca }, ...options })
}

/** The kept message whose content contains `token`, as postfix delivered it (with its added headers). */
async function keptWith(token: string): Promise<string> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const found = (await postfix.received()).map(({ content }) => content.toString()).find((content) => content.includes(token))
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`no kept message contains ${token}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const message = (token: string, body = `body ${token}\r\n`): string => `From: <sender@example.org>\r\nSubject: ${token}\r\n\r\n${body}`

describe('@netc/smtp against postfix', () => {
  it('plain: EHLO capabilities, no AUTH before TLS, DATA and BDAT paths deliver the same bytes', async () => {
    await using smtp = await connect({ tls: 'none' })
    expect(smtp.secure).toBe(false)
    expect(smtp.capabilities).toMatchObject({ pipelining: true, chunking: true, eightBitMime: true, smtpUtf8: true, startTls: true, enhancedStatusCodes: true, auth: [] })
    const body = 'line\n.\n..two dots\r\n.\r\nMAIL FROM:<evil@example.com>\r\nlast'
    for (const transfer of ['data', 'bdat'] as const) {
      const token = `${transfer}-${randomUUID()}`
      const result = await smtp.send({ from: 'sender@example.org', to: [`a@${keepDomain}`] }, message(token, body), { transfer })
      expect(result.response.code).toBe(250)
      expect(result.response.lines[0]).toMatch(/^2\.0\.0 Ok: (\d+ bytes )?queued as /)
      const kept = await keptWith(token)
      expect(kept.slice(kept.indexOf('\n\n') + 2).replace(/\n/g, '\r\n')).toBe('line\r\n.\r\n..two dots\r\n.\r\nMAIL FROM:<evil@example.com>\r\nlast\r\n')
    }
  })

  it('STARTTLS, EHLO again, and AUTH with the strongest mechanism (SCRAM-SHA-256)', async () => {
    const { user, pass } = postfix.users[0]!
    await using smtp = await connect({ auth: { user, pass } })
    expect(smtp.secure).toBe(true)
    expect(smtp.authenticated).toBe('SCRAM-SHA-256')
    expect(smtp.capabilities.startTls).toBe(false)
    expect(smtp.capabilities.auth).toEqual([...postfixMechanisms])
    const token = randomUUID()
    await smtp.send({ from: 'sender@example.org', to: [`tls@${keepDomain}`] }, message(token))
    expect(await keptWith(token)).toMatch(/with ESMTPSA id /) // S: TLS, A: authenticated (RFC 3848)
  })

  it.each(postfixMechanisms)('AUTH %s', async (mechanism) => {
    const { user, pass } = postfix.users[1]!
    await using smtp = await connect({ auth: { user, pass, mechanism } })
    expect(smtp.authenticated).toBe(mechanism)
  })

  it('a wrong password is an SmtpReplyError 535 5.7.8', async () => {
    const error = await connect({ auth: { user: 'dave', pass: 'wrong', mechanism: 'PLAIN' } }).catch((e: unknown) => e)
    expect(error).toMatchObject({ replyCode: 535, enhancedStatus: '5.7.8' })
  })

  it('smtps:// with a percent-encoded password from the URL', async () => {
    const { user, pass } = postfix.users[1]!
    await using smtp = await SmtpClient.connect(`smtps://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${postfix.tlsPort}`, { tls: { ca: postfix.ca } })
    expect(smtp.secure).toBe(true)
    expect(smtp.authenticated).toBe('SCRAM-SHA-256')
  })

  it('8BITMIME and SMTPUTF8: UTF-8 addresses and an 8-bit body, streamed', async () => {
    await using smtp = await connect()
    const token = randomUUID()
    const result = await smtp.send({ from: 'sénder@example.org', to: [`ünï@${keepDomain}`] }, Readable.from([message(token, 'Grüße ✓\r\n')]))
    expect(result.accepted).toEqual([`ünï@${keepDomain}`])
    const kept = await keptWith(token)
    expect(kept).toContain('Grüße ✓')
    expect(kept).toMatch(/Delivered-To: ünï@maildir\.test/)
  })

  it('a rejected recipient among accepted ones is reported; all rejected is an error; the session stays usable', async () => {
    await using smtp = await connect()
    const token = randomUUID()
    const result = await smtp.send({ from: 'sender@example.org', to: [`a@${keepDomain}`, 'bad@example..com', `b@${keepDomain}`] }, message(token))
    expect(result.accepted).toEqual([`a@${keepDomain}`, `b@${keepDomain}`])
    expect(result.rejected.map((r) => [r.recipient, r.error.replyCode, r.error.enhancedStatus])).toEqual([['bad@example..com', 501, '5.1.3']])
    const error = await smtp.send({ from: 'sender@example.org', to: ['bad@example..com'] }, message('x')).catch((e: unknown) => e)
    expect(SmtpRecipientsRejectedError.isInstance(error)).toBe(true)
    expect((await smtp.noop()).code).toBe(250)
    await keptWith(token)
  })

  it('a port/mode mismatch says so', async () => {
    const implicit = await SmtpClient.connect({ host: postfix.host, port: postfix.port, tls: { mode: 'implicit', ca: postfix.ca } }).catch((e: unknown) => e)
    expect(TlsError.isInstance(implicit)).toBe(true)
    expect((implicit as Error).message).toMatch(/answered in plaintext: is this a STARTTLS port\?/)
    const plain = await SmtpClient.connect({ host: postfix.host, port: postfix.tlsPort!, tls: 'none', timeouts: { greeting: 1000 } }).catch((e: unknown) => e)
    expect(TimeoutError.isInstance(plain)).toBe(true)
    expect((plain as Error).message).toMatch(/is this an implicit TLS port \(465\)\? use smtps:\/\//)
  })

  it('SmtpPool: 200 messages over 4 connections; connections dropped midway are replaced, no message lost', async () => {
    const { user, pass } = postfix.users[0]!
    const sockets: Duplex[] = []
    await using pool = new SmtpPool({
      host: postfix.host,
      port: postfix.port,
      tls: { mode: 'required', ca: postfix.ca },
      auth: { user, pass },
      maxConnections: 4,
      maxMessagesPerConnection: 40,
      connect: async (options) => {
        const socket = await connectSocket(options)
        sockets.push(socket)
        return socket
      },
    })
    const batch = (from: number) =>
      Promise.all(Array.from({ length: 100 }, (_, i) => pool.send({ from: 'sender@example.org', to: [`r${from + i}@example.net`] }, message(`pool ${from + i}`))))
    const first = await batch(0)
    // postfix closes idle connections only after smtpd_timeout (300 s): drop every connection here instead.
    const opened = sockets.length
    for (const socket of sockets) socket.destroy()
    const second = await batch(100)
    expect([...first, ...second].every((result) => result.accepted.length === 1)).toBe(true)
    expect(opened).toBeGreaterThanOrEqual(3) // 100 messages, at most 40 per connection
    expect(sockets.length).toBeGreaterThan(opened)
  })
})

describe('@netc/smtp pool against a postfix that closes idle connections (smtpd_timeout 2s)', () => {
  let idle: SmtpDaemon
  daemonHooks(
    () => startPostfix({ smtpdTimeout: '2s' }),
    (daemon) => {
      idle = daemon
    },
  )

  it('SmtpPool: 200 messages, the server hanging up on idle connections in between; none lost, none twice', async () => {
    await using pool = new SmtpPool({ host: idle.host, port: idle.port, tls: 'none', maxConnections: 4 })
    const batch = (from: number) =>
      Promise.all(Array.from({ length: 100 }, (_, i) => pool.send({ from: 'sender@example.org', to: [`idle${from + i}@${keepDomain}`] }, message(`idle ${from + i}`))))
    const first = await batch(0)
    await new Promise((resolve) => setTimeout(resolve, 3500)) // longer than smtpd_timeout: postfix says 421 and hangs up
    // The server really did hang up on the idle connections.
    expect(await idle.log()).toMatch(/timeout after (END-OF-MESSAGE|RSET|MAIL|EHLO|CONNECT)/)
    const second = await batch(100)
    expect([...first, ...second].every((result) => result.accepted.length === 1)).toBe(true)
    const received = await idle.waitForReceived(200, 30_000)
    const subjects = received.map((m) => /Subject: (idle \d+)/.exec(m.content.toString())?.[1]).filter(Boolean)
    expect(new Set(subjects).size).toBe(200)
    expect(subjects).toHaveLength(200)
  })
})
