import type { Duplex } from 'node:stream'
import { ClosedError, connectSocket, TimeoutError, type ConnectFunction } from '@netc/transport'
import { describe, expect, it, vi } from 'vitest'
import { Pop3Client } from './pop3-client.ts'
import { Pop3TestServer } from './testing/pop3-test-server.ts'

const mailbox = { user: 'dave', pass: 'secret', messages: ['Subject: hi\r\n\r\nkept alive\r\n'] }

describe('Pop3Client keepAlive', () => {
  it('sends NOOP while idle, and the session stays usable', async () => {
    await using server = await Pop3TestServer.start({ mailbox })
    await using pop = await Pop3Client.connect(server.url('pop3', { user: 'dave', pass: 'secret' }), { tls: 'none', keepAlive: 20 })
    await vi.waitFor(() => expect(server.sessions[0]?.received.toString().match(/^NOOP\r$/gm)?.length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
    expect((await pop.retrieve(1)).toString()).toContain('kept alive')
  })

  it('a dead server (no reply to NOOP) closes the session; the next call fails at once with ClosedError and its cause', async () => {
    await using server = await Pop3TestServer.start({ mailbox })
    const sockets: Duplex[] = []
    const connect: ConnectFunction = async (options) => {
      const socket = await connectSocket(options)
      sockets.push(socket)
      return socket
    }
    const pop = await Pop3Client.connect(server.url('pop3', { user: 'dave', pass: 'secret' }), { tls: 'none', keepAlive: 20, timeouts: { reply: 100 }, connect })
    sockets[0]?.pause() // the server goes silent
    await vi.waitFor(() => expect(pop.state).toBe('closed'), { timeout: 5000 })
    const error = await pop.stat().catch((caught: unknown) => caught)
    expect(ClosedError.isInstance(error) && TimeoutError.isInstance(error.cause)).toBe(true)
  })
})
