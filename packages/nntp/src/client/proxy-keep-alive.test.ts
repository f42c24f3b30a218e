import { ClosedError, connectSocket, TimeoutError, type ConnectFunction } from '@netc/transport'
import { FakeHttpProxy, FakeSocksProxy } from '@netc/transport/testing'
import type { Duplex } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { NntpTestServer } from '../testing/nntp-test-server.ts'
import { NntpClient } from './nntp-client.ts'

const groups = [{ name: 'misc.test', articles: [{ subject: 'hi', body: 'Hello.\n' }] }]

describe('NntpClient through a proxy', () => {
  it.each([
    ['SOCKS5', 'socks'],
    ['HTTP CONNECT', 'http'],
  ])('%s with auth: selects a group through the tunnel', async (_, kind) => {
    await using server = await NntpTestServer.start({ groups })
    const auth = { username: 'reader', password: 'pw' }
    await using proxy = kind === 'socks' ? await FakeSocksProxy.start({ auth }) : await FakeHttpProxy.start({ auth })
    const url = `${kind === 'socks' ? 'socks5h' : 'http'}://reader:pw@127.0.0.1:${proxy.port}`
    await using news = await NntpClient.connect(server.url(), { proxy: url })
    expect(await news.group('misc.test')).toMatchObject({ name: 'misc.test', count: 1 })
    expect(proxy.requests).toEqual([{ host: '127.0.0.1', port: server.server.port, user: 'reader' }])
  })
})

describe('NntpClient keepAlive', () => {
  it('sends DATE while idle, and the reader stays usable', async () => {
    await using server = await NntpTestServer.start({ groups })
    await using news = await NntpClient.connect(server.url(), { keepAlive: 20 })
    await vi.waitFor(() => expect(server.server.sessions[0]?.received.toString().match(/^DATE\r$/gm)?.length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
    expect((await news.group('misc.test')).count).toBe(1)
  })

  it('a dead server (no reply to DATE) closes the reader; the next call fails at once with ClosedError and its cause', async () => {
    await using server = await NntpTestServer.start({ groups })
    const sockets: Duplex[] = []
    const connect: ConnectFunction = async (options) => {
      const socket = await connectSocket(options)
      sockets.push(socket)
      return socket
    }
    await using news = await NntpClient.connect(server.url(), { keepAlive: 20, timeouts: { reply: 100 }, connect })
    sockets[0]?.pause() // the server goes silent
    await vi.waitFor(() => expect(news.state).toBe('closed'), { timeout: 5000 })
    const error = await news.group('misc.test').catch((caught: unknown) => caught)
    expect(ClosedError.isInstance(error) && TimeoutError.isInstance(error.cause)).toBe(true)
  })
})
