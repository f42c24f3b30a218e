import { ClosedError, Command, InvalidStateError, ProtocolError, TimeoutError, TlsError, connectSocket } from '@netc/transport'
import { TestServer, startScriptedServer, type ScriptStep } from '@netc/transport/testing'
import { describe, expect, it } from 'vitest'
import { SmtpClient } from './smtp-client.ts'
import { SmtpReplyError } from './smtp-reply-error.ts'

const EHLO = ['C: EHLO client.test', 'S: 250-fake.test hello', 'S: 250-PIPELINING', 'S: 250 8BITMIME']
const QUIT = ['C: QUIT', 'S: 221 2.0.0 bye']

async function play(script: ScriptStep[], options: Parameters<typeof SmtpClient.connect>[1] = {}) {
  const server = await startScriptedServer({ script })
  try {
    const client = await SmtpClient.connect({ host: '127.0.0.1', port: server.port, name: 'client.test', tls: 'none', ...options })
    await client.close()
    await server.finished()
    server.assertCompleted()
    return { client, server }
  } finally {
    await server.close()
  }
}

describe('SmtpClient.connect', () => {
  it('greets, says EHLO, parses the capabilities, says QUIT', async () => {
    const server = await startScriptedServer({ script: ['S: 220 fake.test ESMTP', ...EHLO, ...QUIT] })
    await using _server = server
    const client = await SmtpClient.connect(server.url('smtp'), { name: 'client.test', tls: 'none' })
    expect(client.greeting).toEqual({ code: 220, lines: ['fake.test ESMTP'] })
    expect(client.capabilities).toMatchObject({ domain: 'fake.test', pipelining: true, eightBitMime: true, chunking: false })
    expect(client.state).toBe('ready')
    expect(client.secure).toBe(false)
    await client.close()
    expect(client.state).toBe('closed')
    await server.finished()
    server.assertCompleted()
    expect(server.runs[0]?.clientLines).toEqual(['EHLO client.test', 'QUIT'])
  })

  it('falls back to HELO when EHLO is not recognised', async () => {
    const { client } = await play(['S: 220 old', 'C: EHLO client.test', 'S: 502 5.5.2 what?', 'C: HELO client.test', 'S: 250 old.test', ...QUIT])
    expect(client.capabilities).toMatchObject({ esmtp: false, domain: 'old.test' })
  })

  it('says LHLO in LMTP', async () => {
    const { client } = await play(['S: 220 lmtp', 'C: LHLO client.test', 'S: 250 lmtp.test', ...QUIT], { lmtp: true })
    expect(client.lmtp).toBe(true)
  })

  it('refuses a 554 greeting with SmtpReplyError', async () => {
    const server = await startScriptedServer({ script: ['S: 554 5.7.1 go away'] })
    await using _server = server
    const error = await SmtpClient.connect({ host: '127.0.0.1', port: server.port }).catch((e: unknown) => e)
    expect(SmtpReplyError.isInstance(error) && error.enhancedStatus).toBe('5.7.1')
  })

  it('STARTTLS, EHLO again, AUTH PLAIN with the initial response', async () => {
    const server = await startScriptedServer({
      script: [
        'S: 220 fake',
        'C: EHLO client.test',
        'S: 250-fake',
        'S: 250 STARTTLS',
        'C: STARTTLS',
        'S: 220 2.0.0 go ahead',
        { starttls: true },
        'C: EHLO client.test',
        'S: 250-fake',
        'S: 250 AUTH LOGIN PLAIN',
        `C: AUTH PLAIN ${Buffer.from('\0dave\0secret').toString('base64')}`,
        'S: 235 2.7.0 ok',
        ...QUIT,
      ],
    })
    await using _server = server
    const lines: string[] = []
    const client = await SmtpClient.connect(server.url('smtp', { user: 'dave', pass: 'secret' }), {
      name: 'client.test',
      tls: { ca: server.ca },
      debug: (line) => lines.push(line),
    })
    expect(client.secure).toBe(true)
    expect(client.authenticated).toBe('PLAIN')
    expect(client.capabilities.startTls).toBe(false)
    await client.close()
    server.assertCompleted()
    expect(lines).toContain('C: AUTH PLAIN ****')
    expect(lines.join('\n')).not.toContain(Buffer.from('\0dave\0secret').toString('base64'))
  })

  it('AUTH LOGIN answers 334 challenges; a 535 is an SmtpReplyError and nothing leaks', async () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64')
    const script: ScriptStep[] = [
      'S: 220 fake',
      'C: EHLO client.test',
      'S: 250-fake',
      'S: 250 AUTH LOGIN',
      'C: AUTH LOGIN',
      `S: 334 ${b64('Username:')}`,
      `C: ${b64('dave')}`,
      `S: 334 ${b64('Password:')}`,
      `C: ${b64('wrong')}`,
      'S: 535 5.7.8 Error: authentication failed',
    ]
    const server = await startScriptedServer({ script })
    await using _server = server
    const error = await SmtpClient.connect({ host: '127.0.0.1', port: server.port, name: 'client.test', tls: 'none', auth: { user: 'dave', pass: 'wrong' } }).catch((e: unknown) => e)
    expect(SmtpReplyError.isInstance(error)).toBe(true)
    expect((error as SmtpReplyError).enhancedStatus).toBe('5.7.8')
    expect((error as Error).message).not.toContain(b64('wrong'))
    await server.finished()
    server.assertCompleted()
  })

  it('an access token goes as XOAUTH2 when that is what the server offers; execute() runs any command', async () => {
    const token = Buffer.from('user=dave\x01auth=Bearer tok\x01\x01').toString('base64')
    const server = await startScriptedServer({
      script: ['S: 220 fake', 'C: EHLO client.test', 'S: 250-fake', 'S: 250 AUTH PLAIN XOAUTH2', `C: AUTH XOAUTH2 ${token}`, 'S: 235 2.7.0 ok', 'C: ETRN example.com', 'S: 250 Queuing started', ...QUIT],
    })
    await using _server = server
    const client = await SmtpClient.connect({ host: '127.0.0.1', port: server.port, name: 'client.test', tls: 'none', auth: { user: 'dave', accessToken: 'tok' } })
    expect(client.authenticated).toBe('XOAUTH2')
    expect(await client.execute(Command.of('ETRN', 'example.com'))).toEqual({ code: 250, lines: ['Queuing started'] })
    await client.close()
    server.assertCompleted()
  })

  it('opportunistic: plaintext when the server offers no STARTTLS; required: TlsError', async () => {
    const { client } = await play(['S: 220 fake', ...EHLO, ...QUIT], { tls: 'opportunistic' })
    expect(client.secure).toBe(false)
    const server = await startScriptedServer({ script: ['S: 220 fake', ...EHLO] })
    await using _server = server
    const error = await SmtpClient.connect({ host: '127.0.0.1', port: server.port, name: 'client.test', tls: 'required' }).catch((e: unknown) => e)
    expect(TlsError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/does not offer STARTTLS/)
  })

  it('opportunistic: a 454 refusal of STARTTLS leaves a usable plaintext session', async () => {
    const { client } = await play(['S: 220 fake', 'C: EHLO client.test', 'S: 250-fake', 'S: 250 STARTTLS', 'C: STARTTLS', 'S: 454 4.7.0 TLS not available', ...QUIT], {
      tls: 'opportunistic',
    })
    expect(client.secure).toBe(false)
  })

  it('refuses plaintext injected after the STARTTLS go-ahead (CVE-2011-0411)', async () => {
    const server = await startScriptedServer({
      script: ['S: 220 fake', 'C: EHLO client.test', 'S: 250-fake', 'S: 250 STARTTLS', 'C: STARTTLS', { send: '220 go ahead\r\n250-injected\r\n' }, { starttls: true }],
    })
    await using _server = server
    const error = await SmtpClient.connect({ host: '127.0.0.1', port: server.port, name: 'client.test', tls: { mode: 'required', ca: server.ca } }).catch((e: unknown) => e)
    expect(ProtocolError.isInstance(error) || ClosedError.isInstance(error)).toBe(true)
    expect(String((error as Error).message)).toMatch(/injection|before the TLS handshake/)
  })

  it('never sends credentials over plaintext to a remote host', async () => {
    const server = await startScriptedServer({ script: ['S: 220 fake', 'C: EHLO client.test', 'S: 250-fake', 'S: 250 AUTH PLAIN'] })
    await using _server = server
    const error = await SmtpClient.connect({
      host: 'mail.example.com',
      port: 587,
      name: 'client.test',
      tls: 'opportunistic',
      auth: { user: 'dave', pass: 'secret' },
      connect: (options) => connectSocket({ ...options, host: '127.0.0.1', port: server.port }),
    }).catch((e: unknown) => e)
    expect(InvalidStateError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/plaintext.*allowInsecureAuth/)
    await server.finished()
    expect(server.runs[0]?.clientLines).toEqual(['EHLO client.test'])
  })
})

describe('SmtpClient.send against scripts', () => {
  it('ends with an empty message a pipelined DATA that a server accepted without recipients (RFC 2920 section 3.1)', async () => {
    const server = await startScriptedServer({
      script: [
        'S: 220 fake',
        ...EHLO,
        'C: MAIL FROM:<a@x.test> BODY=8BITMIME',
        'C: RCPT TO:<nobody@x.test>',
        'C: DATA',
        'S: 250 2.1.0 ok',
        'S: 550 5.1.1 no such user',
        'S: 354 go ahead',
        'C: .',
        'S: 554 5.5.1 no valid recipients',
        'C: RSET',
        'S: 250 2.0.0 ok',
        ...QUIT,
      ],
    })
    await using _server = server
    const client = await SmtpClient.connect({ host: '127.0.0.1', port: server.port, name: 'client.test', tls: 'none' })
    await expect(client.send({ from: 'a@x.test', to: ['nobody@x.test'] }, 'never sent')).rejects.toThrow(/no recipient accepted/)
    await client.close()
    await server.finished()
    server.assertCompleted()
  })
})

describe('port and TLS mode mismatches', () => {
  it('implicit TLS against a plaintext greeting names the likely cause', async () => {
    const server = await startScriptedServer({ script: ['S: 220 fake ESMTP'] })
    await using _server = server
    const error = await SmtpClient.connect(server.url('smtps'), { tls: { ca: server.ca } }).catch((e: unknown) => e)
    expect(TlsError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/the server answered in plaintext: is this a STARTTLS port\? use tls: 'required'/)
  })

  it('plaintext against an implicit TLS port says so instead of a bare timeout', async () => {
    await using server = await TestServer.start({ tls: 'implicit' })
    const error = await SmtpClient.connect(server.url('smtp'), { timeouts: { greeting: 300 } }).catch((e: unknown) => e)
    expect(TimeoutError.isInstance(error)).toBe(true)
    expect((error as Error).message).toMatch(/is this an implicit TLS port \(465\)\? use smtps:\/\//)
  })
})
