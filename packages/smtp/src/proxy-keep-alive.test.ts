import { ClosedError, connectSocket, TimeoutError, type ConnectFunction } from '@netc/transport'
import { FakeHttpProxy, FakeSocksProxy } from '@netc/transport/testing'
import type { Duplex } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { SmtpClient } from './smtp-client.ts'
import { SmtpTestServer } from './testing/smtp-test-server.ts'

const envelope = { from: 'a@example.com', to: ['b@example.com'] }

describe('SmtpClient through a proxy', () => {
  it.each([
    ['SOCKS5 with auth', 'socks'],
    ['HTTP CONNECT with auth', 'http'],
  ])('%s: sends a message through the tunnel', async (_, kind) => {
    await using server = await SmtpTestServer.start()
    const auth = { username: 'dave', password: 'pw' }
    await using proxy = kind === 'socks' ? await FakeSocksProxy.start({ auth }) : await FakeHttpProxy.start({ auth })
    const url = `${kind === 'socks' ? 'socks5h' : 'http'}://dave:pw@127.0.0.1:${proxy.port}`
    await using smtp = await SmtpClient.connect(server.url(), { tls: 'none', proxy: url })
    expect((await smtp.send(envelope, 'Subject: hi\r\n\r\nthrough a proxy\r\n')).accepted).toEqual(['b@example.com'])
    expect(server.messages[0]?.message.toString()).toContain('through a proxy')
    expect(proxy.requests).toEqual([{ host: '127.0.0.1', port: server.port, user: 'dave' }])
  })
})

describe('SmtpClient keepAlive', () => {
  it('sends NOOP while idle, and the session stays usable', async () => {
    await using server = await SmtpTestServer.start()
    await using smtp = await SmtpClient.connect(server.url(), { tls: 'none', keepAlive: 20 })
    await vi.waitFor(() => expect(server.sessions[0]?.received.toString().match(/^NOOP\r$/gm)?.length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
    expect((await smtp.send(envelope, 'Subject: after\r\n\r\nbody\r\n')).accepted).toHaveLength(1)
  })

  it('a dead server (no reply to NOOP) closes the session; the next send fails at once with ClosedError and its cause', async () => {
    await using server = await SmtpTestServer.start()
    const sockets: Duplex[] = []
    const connect: ConnectFunction = async (options) => {
      const socket = await connectSocket(options)
      sockets.push(socket)
      return socket
    }
    await using smtp = await SmtpClient.connect(server.url(), { tls: 'none', keepAlive: 20, timeouts: { reply: 100 }, connect })
    sockets[0]?.pause() // the server goes silent
    await vi.waitFor(() => expect(smtp.state).toBe('closed'), { timeout: 5000 })
    const error = await smtp.send(envelope, 'x\r\n').catch((caught: unknown) => caught)
    expect(ClosedError.isInstance(error) && TimeoutError.isInstance(error.cause)).toBe(true)
  })
})
