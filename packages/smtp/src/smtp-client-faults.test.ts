import { AbortError, ClosedError, ConnectionError, NetcError, ProtocolError, TimeoutError } from '@netc/transport'
import { createTestCertificates, type TestCertificates } from '@netc/transport/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { SmtpClient } from './smtp-client.ts'
import type { SmtpClientOptions, SmtpTlsMode } from './smtp-client-options.ts'
import { SmtpTestServer } from './testing/smtp-test-server.ts'
import type { SmtpTestServerOptions } from './testing/smtp-test-server-options.ts'

let certificates: TestCertificates
beforeAll(async () => {
  certificates = await createTestCertificates()
})

async function connectTo(serverOptions: SmtpTestServerOptions, clientOptions: SmtpClientOptions & { mode?: SmtpTlsMode } = {}) {
  const server = await SmtpTestServer.start({ certificates, ...serverOptions })
  const outcome = await SmtpClient.connect(server.url('smtp'), { name: 'client.test', tls: { mode: clientOptions.mode ?? 'none', ca: server.ca }, timeouts: { greeting: 2000, reply: 2000 }, ...clientOptions }).then(
    (client) => ({ client, error: undefined }),
    (error: unknown) => ({ client: undefined, error }),
  )
  return { server, ...outcome, [Symbol.asyncDispose]: () => server.close() }
}

describe('faults', () => {
  it('works with every reply split at every byte', async () => {
    await using t = await connectTo({ faults: { splitWrites: 'byte' }, chunking: false })
    const result = await t.client?.send({ from: 'a@x.test', to: ['b@x.test', 'c@x.test'] }, 'hello')
    expect(result?.accepted).toEqual(['b@x.test', 'c@x.test'])
    await t.client?.close()
  })

  // The fake's greeting is 31 bytes and its EHLO reply about 140: closing inside each phase.
  it.each([0, 5, 31, 40, 100])('EOF after %i bytes: a typed error, never a hang', async (bytes) => {
    await using t = await connectTo({ faults: { closeAfterBytes: bytes } })
    expect(t.client).toBeUndefined()
    expect(ConnectionError.isInstance(t.error) || ClosedError.isInstance(t.error)).toBe(true)
  })

  it('EOF at every byte of a whole session: success or a typed error, never a hang or a stray rejection', async () => {
    const session = async (closeAfterBytes?: number) => {
      await using server = await SmtpTestServer.start({ certificates, starttls: false, ...(closeAfterBytes === undefined ? {} : { faults: { closeAfterBytes } }) })
      try {
        const client = await SmtpClient.connect(server.url('smtp'), { tls: 'none', name: 'client.test', timeouts: { greeting: 2000, reply: 2000 } })
        await client.send({ from: 'a@x.test', to: ['b@x.test', 'c@x.test'] }, 'hello\r\n')
        await client.close()
        return { outcome: 'sent' as const, bytes: server.sessions[0]?.sent.length ?? 0 }
      } catch (error) {
        return { outcome: error, bytes: 0 }
      }
    }
    const whole = await session()
    expect(whole.outcome).toBe('sent')
    for (let bytes = 0; bytes < whole.bytes; bytes++) {
      const { outcome } = await session(bytes)
      if (outcome !== 'sent') expect(ConnectionError.isInstance(outcome) || ClosedError.isInstance(outcome), `after ${bytes} bytes: ${String(outcome)}`).toBe(true)
    }
  })

  it('a stall in a reply is a TimeoutError', async () => {
    await using t = await connectTo({ faults: { stallAfterBytes: 40 } }, { timeouts: { reply: 200 } })
    expect(TimeoutError.isInstance(t.error)).toBe(true)
    expect((t.error as TimeoutError).phase).toBe('reply')
  })

  it('an oversized reply line is a ProtocolError', async () => {
    await using t = await connectTo({ domain: 'x'.repeat(300) }, { limits: { maxLineLength: 256 } })
    expect(ProtocolError.isInstance(t.error)).toBe(true)
  })

  it('garbage instead of a greeting is explained', async () => {
    await using t = await connectTo({ faults: { garbage: Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32, 0x0d, 0x0a]) } })
    expect(ProtocolError.isInstance(t.error)).toBe(true)
    expect((t.error as Error).message).toMatch(/not an SMTP reply.*implicit TLS port \(465\)/)
  })

  it('plaintext injected after the STARTTLS go-ahead is refused', async () => {
    await using t = await connectTo({ faults: { injectAfterStartTls: '250-PIPELINING\r\n250 AUTH PLAIN\r\n' } }, { mode: 'required' })
    expect(ProtocolError.isInstance(t.error)).toBe(true)
    expect((t.error as Error).message).toMatch(/before the TLS handshake/)
    expect(t.server.messages).toHaveLength(0)
  })

  it('a 421 and hang-up in the middle of a transaction rejects the send and closes the client', async () => {
    await using t = await connectTo({ faults: { hangUpOn: (command) => (command.startsWith('RCPT') ? '421 4.3.2 shutting down' : undefined) } })
    const error = await t.client?.send({ from: 'a@x.test', to: ['b@x.test'] }, 'x').catch((e: unknown) => e)
    expect(NetcError.isInstance(error)).toBe(true)
    await expect(t.client?.noop()).rejects.toThrow(ClosedError)
    expect(t.client?.state).toBe('closed')
  })

  it('a 421 reply to RCPT is reported, then the closed connection surfaces on the next call', async () => {
    await using t = await connectTo({ reject: { recipients: () => '421 4.7.0 try again later' } })
    const error = await t.client?.send({ from: 'a@x.test', to: ['b@x.test'] }, 'x').catch((e: unknown) => e)
    expect((error as { replyCode?: number }).replyCode).toBe(421)
  })

  it('an aborted send rejects with AbortError', async () => {
    await using t = await connectTo({})
    const controller = new AbortController()
    controller.abort()
    await expect(t.client?.send({ from: 'a@x.test', to: ['b@x.test'] }, 'x', { signal: controller.signal })).rejects.toThrow(AbortError)
    await t.client?.close()
  })

  it('an aborted connect rejects with AbortError', async () => {
    await using server = await SmtpTestServer.start({ certificates })
    const controller = new AbortController()
    controller.abort()
    await expect(SmtpClient.connect(server.url('smtp'), { signal: controller.signal })).rejects.toThrow(AbortError)
  })

  it('a message stream that fails mid-way never ends the data: the connection is dropped', async () => {
    await using t = await connectTo({ chunking: false })
    async function* failing() {
      yield Buffer.from('first part\r\n')
      throw new Error('disk gone')
    }
    await expect(t.client?.send({ from: 'a@x.test', to: ['b@x.test'] }, failing())).rejects.toThrow(/disk gone/)
    expect(t.client?.state).toBe('closed')
    expect(t.server.messages).toHaveLength(0)
  })
})

describe('SmtpTestServer with SmtpClient', () => {
  it('STARTTLS + AUTH offered only over TLS, HELO fallback, implicit TLS', async () => {
    await using t = await connectTo({ auth: { users: { dave: 'secret' }, requireTls: true } }, { mode: 'required', auth: { user: 'dave', pass: 'secret' } })
    expect(t.error).toBeUndefined()
    expect(t.client?.secure).toBe(true)
    expect(t.client?.authenticated).toBe('PLAIN')
    await t.client?.send({ from: 'a@x.test', to: ['b@x.test'] }, 'x')
    expect(t.server.messages[0]).toMatchObject({ secure: true, user: 'dave' })
    await t.client?.close()

    await using helo = await connectTo({ reject: { ehlo: true } })
    expect(helo.client?.capabilities.esmtp).toBe(false)
    await helo.client?.send({ from: 'a@x.test', to: ['b@x.test'] }, 'x')
    expect(helo.server.messages[0]?.transfer).toBe('DATA')
    await helo.client?.close()

    await using server = await SmtpTestServer.start({ tls: 'implicit', certificates, auth: { users: { dave: 'secret' }, mechanisms: ['LOGIN'] } })
    await using client = await SmtpClient.connect(server.url('smtps', { user: 'dave', pass: 'secret' }), { tls: { ca: server.ca } })
    expect(client.authenticated).toBe('LOGIN')
    expect(client.secure).toBe(true)
  })
})
