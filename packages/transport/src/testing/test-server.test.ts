import { execFile } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ProtocolError, TlsError } from '../errors/index.ts'
import { RawClient } from './__fixtures__/raw-client.ts'
import { createTestCertificates, createUntrustedCertificates } from './test-certificates.ts'
import { TestServer } from './test-server.ts'
import type { TestSession } from './test-session.ts'

/** A tiny line echo fake: greets, answers each line with `250 <line>`, says bye to QUIT. */
async function echo(session: TestSession): Promise<void> {
  await session.writeLine('220 fake ready')
  for (let line = await session.readLine(); line !== undefined; line = await session.readLine()) {
    if (line === 'QUIT') return session.writeLine('221 bye')
    await session.writeLine(`250 ${line}`)
  }
}

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP')).length
}

describe('TestServer and TestSession', () => {
  it('reads CRLF and bare-LF lines, bytes and terminated bodies, and records both directions', async () => {
    await using server = await TestServer.start({
      async onSession(session) {
        expect(await session.readLine()).toBe('HELO a')
        expect(session.lastLineEnding).toBe('crlf')
        expect(await session.readLine()).toBe('bare')
        expect(session.lastLineEnding).toBe('lf')
        expect((await session.readBytes(4))?.toString()).toBe('1234')
        expect((await session.readUntil('\r\n.\r\n'))?.toString()).toBe('body\r\nline')
        await session.writeLine('250 ok')
        expect(await session.readLine()).toBe('tail')
        expect(session.lastLineEnding).toBe('none')
        expect(await session.readLine()).toBeUndefined()
      },
    })
    expect(server.url('smtp', { user: 'dave', pass: 'p@ss word', path: '/x' })).toBe(`smtp://dave:p%40ss%20word@127.0.0.1:${server.port}/x`)
    const client = await RawClient.connect(server.port)
    for (const piece of ['HE', 'LO a\r', '\nbare\n12', '34body\r\nli', 'ne\r\n.', '\r\n']) {
      client.write(piece)
      await sleep(5)
    }
    await client.waitFor('250 ok\r\n')
    client.socket.end('tail')
    await client.waitForEnd()
    await server.close()
    const [session] = server.sessions
    expect(server.errors).toEqual([])
    expect(session!.received.toString()).toBe('HELO a\r\nbare\n1234body\r\nline\r\n.\r\ntail')
    expect(session!.sent.toString()).toBe('250 ok\r\n')
    expect(session!.transcript.map((entry) => [entry.from, entry.data.toString()])).toEqual([
      ['client', 'HELO a\r\nbare\n1234body\r\nline\r\n.\r\n'],
      ['server', '250 ok\r\n'],
      ['client', 'tail'],
    ])
    expect(session!.remoteAddress).toBe('127.0.0.1')
  })

  it('destroys a session whose client sends a line longer than maxLineLength', async () => {
    await using server = await TestServer.start({ maxLineLength: 16, onSession: (session) => session.readLine().then(() => {}) })
    const client = await RawClient.connect(server.port)
    client.write('x'.repeat(100))
    await client.waitForEnd()
    await server.close()
    expect(server.errors[0]).toBeInstanceOf(ProtocolError)
    expect(server.sessions[0]!.error).toBeInstanceOf(ProtocolError)
  })

  it('reads a body larger than its read-ahead (backpressure), recording only up to maxRecordedBytes', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 'x')
    let length = 0
    await using server = await TestServer.start({
      maxRecordedBytes: 1024,
      async onSession(session) {
        await sleep(50) // let a few megabytes pile up unread
        length = (await session.readUntil('\r\n.\r\n'))?.length ?? -1
        await session.writeLine('250 got it')
      },
    })
    const client = await RawClient.connect(server.port)
    client.write(Buffer.concat([body, Buffer.from('\r\n.\r\n')]))
    await client.waitFor('250 got it\r\n')
    expect(length).toBe(body.length)
    expect(server.sessions[0]!.recordingTruncated).toBe(true)
    expect(server.sessions[0]!.received.length).toBeLessThanOrEqual(1024)
  })

  it('records handler errors instead of throwing them, and destroys that session', async () => {
    await using server = await TestServer.start({
      async onSession(session) {
        await session.writeLine('220 hi')
        throw new Error('fake broke')
      },
    })
    const client = await RawClient.connect(server.port)
    await client.waitForEnd()
    expect(client.text).toBe('220 hi\r\n')
    await server.close()
    expect(server.errors.map((error) => error.message)).toEqual(['fake broke'])
    expect(server.sessions[0]!.isClosed).toBe(true)
  })

  it('close() destroys open sessions, awaits handlers, is idempotent and leaves no handles', async () => {
    const before = tcpHandles()
    let handlersDone = 0
    const server = await TestServer.start({ onSession: async (session) => {
        await echo(session)
        handlersDone++
      },
    })
    const clients = await Promise.all([RawClient.connect(server.port), RawClient.connect(server.port)])
    await Promise.all(clients.map((client) => client.waitFor('220 fake ready\r\n')))
    const closing = server.close()
    expect(server.close()).toBe(closing)
    await closing
    expect(handlersDone).toBe(2)
    await Promise.all(clients.map((client) => client.waitForEnd()))
    expect(server.sessions.every((session) => session.isClosed)).toBe(true)
    expect(tcpHandles()).toBe(before)
  })

  it('lets a test drive sessions inline with nextSession()', async () => {
    await using server = await TestServer.start()
    const client = await RawClient.connect(server.port)
    const session = await server.nextSession()
    await session.writeLine('+OK POP3 ready')
    client.write('CAPA\r\n')
    expect(await session.readLine()).toBe('CAPA')
    await session.close()
    await client.waitForEnd()
    expect(client.text).toBe('+OK POP3 ready\r\n')
  })
})

describe('ServerFaults', () => {
  it("splitWrites 'byte' delivers one byte per client read", async () => {
    await using server = await TestServer.start({ faults: { splitWrites: 'byte' }, onSession: echo })
    const client = await RawClient.connect(server.port)
    await client.waitFor('220 fake ready\r\n')
    client.write('EHLO client.example\r\n')
    await client.waitFor('250 EHLO client.example\r\n')
    expect(client.chunks.map((chunk) => chunk.length)).toEqual(Array<number>(16 + 25).fill(1))
    expect(server.sessions[0]!.sent.toString()).toBe('220 fake ready\r\n250 EHLO client.example\r\n')
  })

  it('nagle holds a write made while an earlier one is unacknowledged until the client sends, then sends what waited together', async () => {
    await using server = await TestServer.start({
      faults: { nagle: true },
      onSession: async (session) => {
        await session.writeLine('101 list follows')
        void session.write('VERSION 2\r\n')
        void session.write('.\r\n')
        await session.readLine()
      },
    })
    const client = await RawClient.connect(server.port)
    await client.waitFor('101 list follows\r\n')
    await sleep(50)
    expect(client.text).toBe('101 list follows\r\n')
    client.write('DATE\r\n')
    await client.waitFor('VERSION 2\r\n.\r\n')
    expect(server.sessions[0]!.sent.toString()).toBe('101 list follows\r\nVERSION 2\r\n.\r\n')
  })

  it('splitWrites N delivers N bytes per client read', async () => {
    await using server = await TestServer.start({ faults: { splitWrites: 5 }, onSession: echo })
    const client = await RawClient.connect(server.port)
    await client.waitFor('220 fake ready\r\n')
    expect(client.chunks.map((chunk) => chunk.toString())).toEqual(['220 f', 'ake r', 'eady\r', '\n'])
  })

  it('closeAfterBytes drops the connection in the middle of a reply', async () => {
    await using server = await TestServer.start({ faults: { closeAfterBytes: 20 }, onSession: echo })
    const client = await RawClient.connect(server.port)
    await client.waitFor('220')
    client.write('EHLO x\r\n')
    await client.waitForEnd()
    expect(client.text).toBe('220 fake ready\r\n250 ')
    expect(server.sessions[0]!.sent.length).toBe(20)
  })

  it('stallAfterBytes sends nothing more but keeps the socket open', async () => {
    await using server = await TestServer.start({ faults: { stallAfterBytes: 5 }, onSession: echo })
    const client = await RawClient.connect(server.port)
    await client.waitFor('220 f')
    client.write('NOOP\r\n')
    await sleep(100)
    expect(client.text).toBe('220 f')
    expect(client.ended).toBe(false)
    expect(server.sessions[0]!.received.toString()).toBe('NOOP\r\n')
    client.destroy()
  })

  it('garbage goes out before the first write; delayMs slows each write', async () => {
    await using server = await TestServer.start({ faults: { garbage: Buffer.from('\x00junk'), delayMs: 60 }, onSession: echo })
    const started = Date.now()
    const client = await RawClient.connect(server.port)
    await client.waitFor('ready\r\n')
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)
    expect(client.text).toBe('\x00junk220 fake ready\r\n')
    client.destroy()
  })

  it('acceptThenClose accepts, then closes before any byte', async () => {
    let called = false
    await using server = await TestServer.start({ faults: { acceptThenClose: true }, onSession: () => void (called = true) })
    const client = await RawClient.connect(server.port)
    await client.waitForEnd()
    expect(client.text).toBe('')
    expect(called).toBe(false)
  })
})

describe('TLS', () => {
  it('implicit TLS verifies with the server CA', async () => {
    await using server = await TestServer.start({ tls: 'implicit', onSession: echo })
    const client = await RawClient.connectTls(server.port, server.ca)
    client.write('QUIT\r\n')
    await client.waitForEnd()
    expect(client.text).toBe('220 fake ready\r\n221 bye\r\n')
    expect(server.sessions[0]!.encrypted).toBe(true)
    expect(server.sessions[0]!.received.toString()).toBe('QUIT\r\n')
  })

  it('implicit TLS fails without the CA, and with a certificate from an untrusted CA', async () => {
    await using server = await TestServer.start({ tls: 'implicit', onSession: echo })
    await expect(RawClient.connectTls(server.port, undefined)).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i)
    const { ca } = await createTestCertificates()
    await using untrusted = await TestServer.start({ tls: 'implicit', certificates: await createUntrustedCertificates(), onSession: echo })
    await expect(RawClient.connectTls(untrusted.port, ca)).rejects.toThrow(/unable to (get|verify)|self[- ]signed/i)
    await untrusted.close()
    expect(untrusted.errors).toEqual([])
    expect(untrusted.sessions[0]!.error).toBeInstanceOf(TlsError)
  })

  it('STARTTLS: plaintext first, then the handshake, then lines over TLS', async () => {
    await using server = await TestServer.start({
      async onSession(session) {
        await session.writeLine('220 ready')
        expect(await session.readLine()).toBe('STARTTLS')
        await session.writeLine('220 go ahead')
        await session.upgradeTls()
        expect(session.bufferedPlaintext.length).toBe(0)
        expect(await session.readLine()).toBe('EHLO secure')
        await session.writeLine('250 secure hello')
      },
    })
    const client = await RawClient.connect(server.port)
    await client.waitFor('220 ready\r\n')
    client.write('STARTTLS\r\n')
    await client.waitFor('220 go ahead\r\n')
    await client.startTls(server.ca)
    client.write('EHLO secure\r\n')
    await client.waitFor('250 secure hello\r\n')
    await client.waitForEnd()
    await server.close()
    expect(server.errors).toEqual([])
    expect(server.sessions[0]!.received.toString()).toBe('STARTTLS\r\nEHLO secure\r\n')
  })

  it('STARTTLS: plaintext injected in the same write as the command is kept apart as bufferedPlaintext', async () => {
    let injected = ''
    await using server = await TestServer.start({
      async onSession(session) {
        await session.writeLine('220 ready')
        expect(await session.readLine()).toBe('STARTTLS')
        await session.writeLine('220 go ahead')
        await session.upgradeTls()
        injected = session.bufferedPlaintext.toString()
        await session.writeLine(injected === '' ? '250 clean' : '554 plaintext before TLS')
      },
    })
    const client = await RawClient.connect(server.port)
    await client.waitFor('220 ready\r\n')
    client.write('STARTTLS\r\nRSET\r\nMAIL FROM:<evil@example.com>\r\n')
    await client.waitFor('220 go ahead\r\n')
    await client.startTls(server.ca)
    await client.waitFor('554 plaintext before TLS\r\n')
    expect(injected).toBe('RSET\r\nMAIL FROM:<evil@example.com>\r\n')
  })

  it('listens on ::1 too, with a certificate valid for it', async () => {
    await using server = await TestServer.start({ host: '::1', tls: 'implicit', onSession: echo })
    expect(server.url('nntps', { user: 'u' })).toBe(`nntps://u@[::1]:${server.port}`)
    const client = await RawClient.connectTls(server.port, server.ca, '::1')
    await client.waitFor('220 fake ready\r\n')
    client.destroy()
  })

  it('a foreign client (Python ssl) talks to it over implicit TLS with the CA, even byte-split', async () => {
    await using server = await TestServer.start({ tls: 'implicit', faults: { splitWrites: 'byte' }, onSession: echo })
    const python = [
      'import socket, ssl, sys',
      'context = ssl.create_default_context(cadata=sys.argv[2])',
      "with context.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1]))), server_hostname='127.0.0.1') as s:",
      "    f = s.makefile('rb')",
      '    print(f.readline().decode().strip())',
      "    s.sendall(b'QUIT\\r\\n')",
      '    print(f.readline().decode().strip())',
    ].join('\n')
    const { stdout } = await promisify(execFile)('python3', ['-c', python, String(server.port), server.ca], { timeout: 15_000 })
    expect(stdout).toBe('220 fake ready\n221 bye\n')
  })
})
