import { createHash, createHmac } from 'node:crypto'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { InvalidArgumentError, InvalidStateError, TlsError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { recordingConnect } from './__fixtures__/recording-connect.ts'
import { Pop3Client } from './pop3-client.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'
import { Pop3TestServer } from './testing/index.ts'
import type { Pop3TestServerOptions } from './testing/index.ts'

const dave = { user: 'dave', pass: 'secret' }
const messages = ['Subject: one\r\n\r\nfirst\r\n', 'Subject: two\r\n\r\nsecond\r\nline 2\r\nline 3\r\n']

async function start(options: Pop3TestServerOptions = {}): Promise<Pop3TestServer> {
  return Pop3TestServer.start({ mailbox: { ...dave, messages }, ...options })
}

const received = (server: Pop3TestServer, index = 0): string => server.sessions[index]!.received.toString('latin1')
const sent = (server: Pop3TestServer, index = 0): string => server.sessions[index]!.sent.toString('latin1')

describe('Pop3Client: login', () => {
  it('logs in with USER/PASS and speaks exactly these bytes both ways', async () => {
    await using server = await start({ sasl: [], apop: false, starttls: false })
    const pop = await Pop3Client.connect({ host: server.host, port: server.port, auth: dave })
    expect(pop.state).toBe('transaction')
    expect(pop.loginMethod).toBe('USER')
    expect(await pop.stat()).toEqual({ count: 2, size: 63 })
    await pop.close()
    expect(pop.state).toBe('closed')
    expect(received(server)).toBe('CAPA\r\nUSER dave\r\nPASS secret\r\nSTAT\r\nQUIT\r\n')
    expect(sent(server)).toBe(
      '+OK netc POP3 test server ready\r\n' +
        '+OK capability list follows\r\nCAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\nUSER\r\nIMPLEMENTATION netc-pop3-test-server\r\n.\r\n' +
        "+OK send PASS\r\n+OK dave's maildrop has 2 messages\r\n+OK 2 63\r\n+OK 0 messages deleted, bye\r\n",
    )
  })

  it('prefers SASL PLAIN with an initial response (RFC 5034)', async () => {
    await using server = await start({ starttls: false })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    expect(pop.loginMethod).toBe('PLAIN')
    expect(received(server)).toBe(`CAPA\r\nAUTH PLAIN ${Buffer.from('\0dave\0secret').toString('base64')}\r\n`)
  })

  it('takes the strongest mechanism both sides offer: CRAM-MD5 over LOGIN and PLAIN', async () => {
    await using server = await start({ starttls: false, sasl: ['LOGIN', 'PLAIN', 'CRAM-MD5'] })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    expect(pop.loginMethod).toBe('CRAM-MD5')
    const challenge = /^\+ (\S+)\r$/m.exec(sent(server))![1]!
    const digest = createHmac('md5', 'secret').update(Buffer.from(challenge, 'base64')).digest('hex')
    expect(received(server)).toBe(`CAPA\r\nAUTH CRAM-MD5\r\n${Buffer.from(`dave ${digest}`).toString('base64')}\r\n`)
  })

  it('answers LOGIN challenges when told to use LOGIN', async () => {
    await using server = await start({ starttls: false, sasl: ['LOGIN'] })
    await using pop = await Pop3Client.connect(server.url('pop3', dave), { mechanism: 'login' })
    expect(pop.loginMethod).toBe('LOGIN')
    expect(received(server)).toBe(`CAPA\r\nAUTH LOGIN\r\n${Buffer.from('dave').toString('base64')}\r\n${Buffer.from('secret').toString('base64')}\r\n`)
  })

  it('logs in with APOP when asked and the greeting has a timestamp (RFC 1939 section 7)', async () => {
    await using server = await start({ starttls: false, sasl: [] })
    await using pop = await Pop3Client.connect(server.url('pop3', dave), { apop: true })
    expect(pop.loginMethod).toBe('APOP')
    const timestamp = pop.greeting.timestamp!
    expect(timestamp).toMatch(/^<\d+\.\d+@netc\.test>$/)
    const digest = createHash('md5').update(`${timestamp}secret`).digest('hex')
    expect(received(server)).toBe(`CAPA\r\nAPOP dave ${digest}\r\n`)
  })

  it('refuses APOP without a timestamp before sending anything', async () => {
    await using server = await start({ starttls: false, apop: false })
    await expect(Pop3Client.connect(server.url('pop3', dave), { mechanism: 'APOP' })).rejects.toThrow(InvalidStateError)
    expect(received(server)).toBe('CAPA\r\n')
  })

  it('surfaces [AUTH] on a wrong password, with the password masked', async () => {
    await using server = await start({ starttls: false, sasl: [] })
    const error = await Pop3Client.connect(server.url('pop3', { user: 'dave', pass: 'wrong-password' })).catch((e: unknown) => e)
    expect(Pop3ReplyError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ respCode: 'AUTH', replyCode: 0, command: 'PASS ****', isPermanent: true })
    expect((error as Error).message).toBe('PASS **** failed: -ERR [AUTH] invalid user name or password')
    expect(JSON.stringify(error) + (error as Error).message + String((error as Error).stack)).not.toContain('wrong-password')
  })

  it('surfaces [IN-USE] while another session holds the maildrop', async () => {
    await using server = await start({ starttls: false })
    await using first = await Pop3Client.connect(server.url('pop3', dave))
    const error = await Pop3Client.connect(server.url('pop3', dave)).catch((e: unknown) => e)
    expect(error).toMatchObject({ respCode: 'IN-USE', isTransient: true })
    await first.close()
    await using again = await Pop3Client.connect(server.url('pop3', dave))
    expect(again.state).toBe('transaction')
  })

  it('stays in the authorization state without credentials, and refuses transaction commands there', async () => {
    await using server = await start()
    await using pop = await Pop3Client.connect(server.url('pop3'), { tls: { ca: server.ca } })
    expect(pop.state).toBe('authorization')
    await expect(pop.stat()).rejects.toThrow(InvalidStateError)
    expect(() => pop.retrieveAll()).toThrow(InvalidStateError)
    await pop.login(dave)
    expect(pop.state).toBe('transaction')
    await expect(pop.login(dave)).rejects.toThrow(InvalidStateError)
  })

  it.each([
    ['USER', { sasl: [] }, 'C: PASS ****'],
    ['PLAIN', {}, 'C: AUTH PLAIN ****'],
    ['CRAM-MD5', { sasl: ['CRAM-MD5'] }, 'C: ****'],
  ] as const)('masks the secrets of %s in the debug transcript', async (_method, serverOptions, masked) => {
    await using server = await start({ starttls: false, ...serverOptions })
    const lines: string[] = []
    await using pop = await Pop3Client.connect(server.url('pop3', dave), { debug: (line) => lines.push(line) })
    expect(lines).toContain(masked)
    expect(lines[0]).toBe(`S: ${sent(server).split('\r\n')[0]}`)
    const transcript = lines.join('\n')
    expect(transcript).not.toContain('secret')
    expect(transcript).not.toContain(Buffer.from('\0dave\0secret').toString('base64'))
    expect(pop.state).toBe('transaction')
  })

  it('publishes commands on netc:pop3:command with secrets masked', async () => {
    await using server = await start({ starttls: false, sasl: [] })
    const seen: string[] = []
    const listener = (message: unknown): void => {
      seen.push((message as { command: string }).command)
    }
    subscribe('netc:pop3:command', listener)
    try {
      await using pop = await Pop3Client.connect(server.url('pop3', dave))
      await pop.noop()
    } finally {
      unsubscribe('netc:pop3:command', listener)
    }
    expect(seen).toEqual(['CAPA', 'USER dave', 'PASS ****', 'NOOP', 'QUIT'])
  })

  it('refuses a CR or LF in a user name before writing it', async () => {
    await using server = await start({ starttls: false, sasl: [] })
    await expect(Pop3Client.connect({ host: server.host, port: server.port, auth: { user: 'dave\r\nDELE 1', pass: 'x' } })).rejects.toThrow(InvalidArgumentError)
    expect(received(server)).toBe('CAPA\r\n')
  })
})

describe('Pop3Client: TLS', () => {
  it('upgrades with STLS when CAPA offers it, then asks CAPA again (RFC 2595)', async () => {
    await using server = await start()
    await using pop = await Pop3Client.connect(server.url('pop3', dave), { tls: { ca: server.ca } })
    expect(pop.secure).toBe(true)
    expect(pop.capabilities.stls).toBe(false)
    expect(server.sessions[0]!.encrypted).toBe(true)
    expect(received(server)).toBe(`CAPA\r\nSTLS\r\nCAPA\r\nAUTH PLAIN ${Buffer.from('\0dave\0secret').toString('base64')}\r\n`)
  })

  it('speaks POP3S from the first byte', async () => {
    await using server = await start({ tls: 'implicit' })
    await using pop = await Pop3Client.connect(server.url('pop3s', dave), { tls: { ca: server.ca } })
    expect(pop.secure).toBe(true)
    expect(pop.connection.tlsInfo?.authorized).toBe(true)
    expect(received(server)).toBe(`CAPA\r\nAUTH PLAIN ${Buffer.from('\0dave\0secret').toString('base64')}\r\n`)
  })

  it('refuses a certificate it cannot verify', async () => {
    await using server = await start({ tls: 'implicit' })
    await expect(Pop3Client.connect(server.url('pop3s', dave))).rejects.toThrow(TlsError)
  })

  it("fails with TlsError when 'required' and the server has no STLS, before any credential", async () => {
    await using server = await start({ starttls: false })
    await expect(Pop3Client.connect(server.url('pop3', dave), { tls: 'required' })).rejects.toThrow(/refused STLS/)
    expect(received(server)).toBe('CAPA\r\nSTLS\r\n')
  })

  it("stays in plaintext with tls 'none'", async () => {
    await using server = await start()
    await using pop = await Pop3Client.connect(server.url('pop3', dave), { tls: 'none' })
    expect(pop.secure).toBe(false)
    expect(received(server)).not.toContain('STLS')
  })

  it('never sends credentials in cleartext to a host that is not loopback', async () => {
    await using server = await start({ starttls: false })
    const seam = recordingConnect(server)
    const error = await Pop3Client.connect({ host: 'pop.example.com', port: 110, connect: seam.connect, auth: dave }).catch((e: unknown) => e)
    expect(InvalidStateError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/refusing to send credentials in cleartext to pop\.example\.com/)
    expect(Buffer.concat(seam.writes).toString()).toBe('CAPA\r\n')
  })

  it('sends them with allowInsecureAuth: true', async () => {
    await using server = await start({ starttls: false })
    const seam = recordingConnect(server)
    await using pop = await Pop3Client.connect({ host: 'pop.example.com', port: 110, connect: seam.connect, auth: dave, allowInsecureAuth: true })
    expect(pop.state).toBe('transaction')
  })
})

describe('Pop3Client: commands', () => {
  it('lists, identifies, retrieves, tops, deletes and resets with exact bytes', async () => {
    await using server = await start({ starttls: false, sasl: [], extraCapabilities: ['EXPIRE NEVER'] })
    const pop = await Pop3Client.connect(server.url('pop3', dave))
    const uids = server.messages('dave').map((m) => m.uid)
    expect(pop.capabilities).toMatchObject({ top: true, uidl: true, pipelining: true, expire: { value: 'never' }, implementation: 'netc-pop3-test-server' })
    expect(await pop.list()).toEqual([{ number: 1, size: 23 }, { number: 2, size: 40 }])
    expect(await pop.list(2)).toEqual({ number: 2, size: 40 })
    expect(await pop.uidl()).toEqual([{ number: 1, uid: uids[0] }, { number: 2, uid: uids[1] }])
    expect(await pop.uidl(1)).toEqual({ number: 1, uid: uids[0] })
    expect((await pop.retrieve(2)).toString()).toBe(messages[1])
    expect(await pop.retrieveString(1, { encoding: 'latin1' })).toBe(messages[0])
    expect((await pop.top(2, 1)).toString()).toBe('Subject: two\r\n\r\nsecond\r\n')
    expect((await pop.top(2, 0)).toString()).toBe('Subject: two\r\n\r\n')
    await pop.delete(1)
    expect(await pop.stat()).toEqual({ count: 1, size: 40 })
    await expect(pop.retrieve(1)).rejects.toThrow('RETR 1 failed: -ERR message 1 already deleted')
    await pop.reset()
    await pop.noop()
    expect(await pop.stat()).toEqual({ count: 2, size: 63 })
    await pop.close()
    expect(received(server)).toBe(
      'CAPA\r\nUSER dave\r\nPASS secret\r\nLIST\r\nLIST 2\r\nUIDL\r\nUIDL 1\r\nRETR 2\r\nRETR 1\r\nTOP 2 1\r\nTOP 2 0\r\nDELE 1\r\nSTAT\r\nRETR 1\r\nRSET\r\nNOOP\r\nSTAT\r\nQUIT\r\n',
    )
    expect(server.messages('dave')).toHaveLength(2)
  })

  it('commits deletions at QUIT only: gone next session; destroy() deletes nothing', async () => {
    await using server = await start({ starttls: false })
    const first = await Pop3Client.connect(server.url('pop3', dave))
    await first.delete(1)
    first.destroy()
    expect(first.state).toBe('closed')
    expect(server.messages('dave')).toHaveLength(2)
    await server.sessions[0]!.closed
    const second = await Pop3Client.connect(server.url('pop3', dave))
    await second.delete(1)
    await second.close()
    expect(server.messages('dave').map((m) => m.body.toString())).toEqual([messages[1]])
    await using third = await Pop3Client.connect(server.url('pop3', dave))
    expect(await third.stat()).toEqual({ count: 1, size: 40 })
  })

  it('throws Pop3ReplyError with its response code and stays usable', async () => {
    await using server = await start({ starttls: false, replies: { RETR: '-ERR [SYS/TEMP] disk error, try later' } })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    const error = await pop.retrieve(1).catch((e: unknown) => e)
    expect(Pop3ReplyError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ message: 'RETR 1 failed: -ERR [SYS/TEMP] disk error, try later', respCode: 'SYS/TEMP', isTransient: true, replyCode: 0 })
    expect(await pop.stat()).toEqual({ count: 2, size: 63 })
  })

  it('reports an -ERR to QUIT after closing', async () => {
    await using server = await start({ starttls: false, replies: { QUIT: '-ERR [SYS/PERM] could not delete' } })
    const pop = await Pop3Client.connect(server.url('pop3', dave))
    await expect(pop.close()).rejects.toMatchObject({ respCode: 'SYS/PERM', message: 'QUIT failed: -ERR [SYS/PERM] could not delete' })
    expect(pop.state).toBe('closed')
    await pop.close()
  })

  it('queues concurrent calls in order', async () => {
    await using server = await start({ starttls: false, sasl: [] })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    const [stat, list, body, uid] = await Promise.all([pop.stat(), pop.list(), pop.retrieve(1), pop.uidl(2)])
    expect([stat.count, list.length, body.toString(), uid.number]).toEqual([2, 2, messages[0], 2])
  })

  it('runs other commands through execute(), and refuses the ones with their own method', async () => {
    await using server = await start({ starttls: false, utf8: true })
    await using pop = await Pop3Client.connect(server.url('pop3', dave), { utf8: true })
    expect(received(server)).toContain('CAPA\r\nUTF8\r\nAUTH PLAIN')
    expect((await pop.execute('LIST 1')).status.text).toBe('1 23')
    const listing = await pop.execute('LIST', { multiLine: true })
    expect(listing.body?.toString()).toBe('1 23\r\n2 40\r\n')
    await expect(pop.execute('QUIT')).rejects.toThrow(InvalidArgumentError)
    await expect(pop.execute('NOOP\r\nDELE 1')).rejects.toThrow(InvalidArgumentError)
    await expect(pop.execute('XTND XMIT')).rejects.toThrow(Pop3ReplyError)
  })

  it('refuses bad message numbers and line counts before writing', async () => {
    await using server = await start({ starttls: false })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    const before = received(server)
    for (const call of [() => pop.retrieve(0), () => pop.delete(-1), () => pop.list(1.5), () => pop.top(1, -1), () => pop.uidl(Number.NaN)]) {
      await expect(call()).rejects.toThrow(InvalidArgumentError)
    }
    expect(received(server)).toBe(before)
  })

  it('refuses every call once closed', async () => {
    await using server = await start({ starttls: false })
    const pop = await Pop3Client.connect(server.url('pop3', dave))
    await pop.close()
    await expect(pop.stat()).rejects.toThrow(InvalidStateError)
    await expect(pop.execute('NOOP')).rejects.toThrow(/closed/)
  })

  it('works with a server that has no CAPA (RFC 1939 only)', async () => {
    await using server = await start({ capa: false })
    await using pop = await Pop3Client.connect(server.url('pop3', dave))
    expect(pop.loginMethod).toBe('USER')
    expect(pop.capabilities.pipelining).toBe(false)
    expect(await pop.stat()).toEqual({ count: 2, size: 63 })
  })
})
