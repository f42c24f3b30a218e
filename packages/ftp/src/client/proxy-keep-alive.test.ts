import { connectSocket, InvalidStateError, NetcError, type ConnectFunction } from '@netc/transport'
import { FakeHttpProxy, FakeSocksProxy } from '@netc/transport/testing'
import { Writable, type Duplex } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import { FtpClient } from './ftp-client.ts'

function collector(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = []
  const sink = new Writable({ write: (chunk: Buffer, _encoding, callback) => (chunks.push(chunk), callback()) })
  return { sink, text: () => Buffer.concat(chunks).toString() }
}

describe('FtpClient through a proxy', () => {
  it('SOCKS5 with auth: the control and the passive data connection both go through the proxy', async () => {
    await using server = await FtpTestServer.start({ files: { 'a.txt': 'through socks' } })
    await using proxy = await FakeSocksProxy.start({ auth: { username: 'dave', password: 'pw' } })
    await using ftp = await FtpClient.connect(server.url(), { proxy: `socks5h://dave:pw@127.0.0.1:${proxy.port}` })
    const { sink, text } = collector()
    await ftp.download('a.txt', sink)
    expect(text()).toBe('through socks')
    expect(proxy.requests.map((request) => request.port)).toEqual([server.port, expect.any(Number)])
    expect(proxy.requests.every((request) => request.host === '127.0.0.1' && request.user === 'dave')).toBe(true)
  })

  it('HTTP CONNECT: a listing and an upload through the proxy', async () => {
    await using server = await FtpTestServer.start({ files: { 'a.txt': 'a' } })
    await using proxy = await FakeHttpProxy.start()
    await using ftp = await FtpClient.connect(server.url(), { proxy: `http://127.0.0.1:${proxy.port}` })
    await ftp.upload(Buffer.from('up'), 'b.txt')
    expect((await ftp.list()).map((entry) => entry.name).sort()).toEqual(['a.txt', 'b.txt'])
    expect(proxy.requests).toHaveLength(3)
  })

  it('refuses active mode through a proxy', async () => {
    await using server = await FtpTestServer.start({ files: { 'a.txt': 'a' } })
    await using proxy = await FakeSocksProxy.start()
    await using ftp = await FtpClient.connect(server.url(), { proxy: `socks5h://127.0.0.1:${proxy.port}`, passive: false })
    await expect(ftp.download('a.txt', collector().sink)).rejects.toThrow(InvalidStateError)
  })
})

describe('FtpClient keepAlive', () => {
  it('sends NOOP while idle', async () => {
    await using server = await FtpTestServer.start()
    await using ftp = await FtpClient.connect(server.url(), { keepAlive: 20 })
    await vi.waitFor(() => expect(server.commands.filter((line) => line === 'NOOP').length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
    expect(await ftp.pwd()).toBe('/')
  })

  it('a dead server (no reply to NOOP) closes the client; the next call fails at once', async () => {
    await using server = await FtpTestServer.start()
    const sockets: Duplex[] = []
    const connect: ConnectFunction = async (options) => {
      const socket = await connectSocket(options)
      sockets.push(socket)
      return socket
    }
    await using ftp = await FtpClient.connect(server.url(), { keepAlive: 20, timeouts: { reply: 100 }, connect })
    // The server goes silent: nothing it sends reaches the client any more.
    sockets[0]?.pause()
    await vi.waitFor(() => expect(ftp.state).toBe('closed'), { timeout: 5000 })
    const error = await ftp.pwd().catch((caught: unknown) => caught)
    // FtpClient answers a closed session with its own InvalidStateError; the transport's reason is the timeout.
    expect(NetcError.isInstance(error) && error.message).toMatch(/closed/)
  })
})
