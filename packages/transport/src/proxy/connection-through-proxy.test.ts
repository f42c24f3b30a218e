import { connect, createServer, type Server } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { Command } from '../command/command.ts'
import { Connection } from '../connection/connection.ts'
import { AbortError, ConnectionError, ProtocolError, TimeoutError, TlsError } from '../errors/index.ts'
import { FakeHttpProxy } from '../testing/fake-http-proxy.ts'
import { FakeSocksProxy } from '../testing/fake-socks-proxy.ts'
import { createTestCertificates } from '../testing/test-certificates.ts'
import { startScriptedServer, type ScriptedServer } from '../testing/scripted-server.ts'
import { ProxyError } from './proxy-error.ts'
import { resolveConnector } from './resolve-connector.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function target(): Promise<ScriptedServer> {
  const server = await startScriptedServer({ script: ['S: 220 target ready', 'C: NOOP', 'S: 250 ok', 'C: QUIT', 'S: 221 bye'] })
  cleanups.push(() => server.close())
  return server
}

async function socks(options: Parameters<typeof FakeSocksProxy.start>[0] = {}): Promise<FakeSocksProxy> {
  const proxy = await FakeSocksProxy.start(options)
  cleanups.push(() => proxy.close())
  return proxy
}

async function http(options: Parameters<typeof FakeHttpProxy.start>[0] = {}): Promise<FakeHttpProxy> {
  const proxy = await FakeHttpProxy.start(options)
  cleanups.push(() => proxy.close())
  return proxy
}

async function talk(port: number, proxy: string, debug?: (line: string) => void): Promise<Connection> {
  const connection = await Connection.open({ host: '127.0.0.1', port, protocol: 'smtp', proxy, timeouts: { connect: 2000 }, debug })
  expect((await connection.readGreeting()).lines).toEqual(['target ready'])
  await connection.execute(Command.of('NOOP'))
  await connection.execute(Command.of('QUIT'))
  await connection.close()
  return connection
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: unknown) => error as Error,
  )
}

describe('Connection through a SOCKS5 proxy', () => {
  it('tunnels the whole dialogue and says which proxy it took, without its credentials', async () => {
    const server = await target()
    const proxy = await socks({ auth: { username: 'dave', password: 's3cret' } })
    const lines: string[] = []
    const connection = await talk(server.port, `socks5h://dave:s3cret@127.0.0.1:${proxy.port}`, (line) => lines.push(line))
    server.assertCompleted()
    expect(proxy.requests).toEqual([{ host: '127.0.0.1', port: server.port, user: 'dave' }])
    expect(connection.proxy).toBe(`socks5h://127.0.0.1:${proxy.port}`)
    expect(connection.remoteAddress).toBeUndefined()
    expect(lines[0]).toBe(`-- proxy socks5h://127.0.0.1:${proxy.port}`)
    expect(lines.join('\n')).not.toContain('s3cret')
    expect(inspect(connection, { depth: 10 })).not.toContain('s3cret')
  })

  it.each([
    ['socks5h', 'localhost'],
    ['socks5', '127.0.0.1'],
  ])('%s:// sends %s for the target localhost (socks5h: the proxy resolves it)', async (scheme, sent) => {
    const server = await target()
    const proxy = await socks()
    const connection = await Connection.open({ host: 'localhost', port: server.port, protocol: 'smtp', proxy: `${scheme}://127.0.0.1:${proxy.port}`, family: 4 })
    expect((await connection.readGreeting()).code).toBe(220)
    connection.destroy()
    expect(proxy.requests).toEqual([{ host: sent, port: server.port, user: undefined }])
  })

  it('refuses wrong credentials with a ProxyError that does not repeat them', async () => {
    const proxy = await socks({ auth: { username: 'dave', password: 'right' } })
    const error = await failure(Connection.open({ host: '127.0.0.1', port: 9, protocol: 'smtp', proxy: `socks5://dave:wrong@127.0.0.1:${proxy.port}` }))
    expect(ProxyError.isInstance(error) && ConnectionError.isInstance(error)).toBe(true)
    expect(error.message).toBe(`proxy socks5://127.0.0.1:${proxy.port} refused the credentials`)
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error)) + String((error.cause as Error).message)).not.toContain('wrong')
  })

  it('reports a proxy that wants credentials when none are given', async () => {
    const proxy = await socks({ auth: { username: 'dave', password: 'right' } })
    const error = await failure(Connection.open({ host: '127.0.0.1', port: 9, protocol: 'smtp', proxy: `socks5h://127.0.0.1:${proxy.port}` }))
    expect(ProxyError.isInstance(error)).toBe(true)
    expect(error.message).toContain('accepts none of the offered authentication methods')
  })

  it('turns a refused CONNECT into a ProxyError with the SOCKS5 reply code', async () => {
    const proxy = await socks({ refuse: 2 })
    const error = await failure(Connection.open({ host: 'mail.example.com', port: 25, protocol: 'smtp', proxy: `socks5h://127.0.0.1:${proxy.port}` }))
    expect(ProxyError.isInstance(error) && error.status).toBe(2)
    expect(error.message).toBe(`proxy socks5h://127.0.0.1:${proxy.port} refused to connect to mail.example.com:25: NotAllowed`)
  })

  it('answers garbage with a ProtocolError', async () => {
    const proxy = await socks({ garbage: Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n') })
    const error = await failure(Connection.open({ host: '127.0.0.1', port: 9, protocol: 'smtp', proxy: `socks5h://127.0.0.1:${proxy.port}` }))
    expect(ProtocolError.isInstance(error)).toBe(true)
  })

  it('times out on a proxy that stalls, within the connect timeout', async () => {
    const proxy = await socks({ stall: true })
    const error = await failure(
      Connection.open({ host: '127.0.0.1', port: 9, protocol: 'smtp', proxy: `socks5h://127.0.0.1:${proxy.port}`, timeouts: { connect: 200 } }),
    )
    expect(TimeoutError.isInstance(error) && error.phase).toBe('connect')
  })
})

describe('Connection through an HTTP CONNECT proxy', () => {
  it('tunnels with Basic proxy authentication', async () => {
    const server = await target()
    const proxy = await http({ auth: { username: 'dave', password: 'p@ss:word' } })
    const connection = await talk(server.port, `http://dave:p%40ss%3Aword@127.0.0.1:${proxy.port}`)
    server.assertCompleted()
    expect(connection.proxy).toBe(`http://127.0.0.1:${proxy.port}`)
    expect(proxy.heads[0]).toBe(
      [`CONNECT 127.0.0.1:${server.port} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, `Proxy-Authorization: Basic ${Buffer.from('dave:p@ss:word').toString('base64')}`].join('\r\n'),
    )
  })

  it('hands on the target bytes that came in the same packet as the 200', async () => {
    const server = await target()
    const proxy = await http({ coalesce: true })
    await talk(server.port, `http://127.0.0.1:${proxy.port}`)
    server.assertCompleted()
  })

  it('turns a 407 into a ProxyError with the status and no credentials', async () => {
    const proxy = await http({ auth: { username: 'dave', password: 'right' } })
    const error = await failure(Connection.open({ host: '127.0.0.1', port: 9, protocol: 'nntp', proxy: `http://dave:wrong@127.0.0.1:${proxy.port}` }))
    expect(ProxyError.isInstance(error) && error.status).toBe(407)
    expect(error.message).toBe(`proxy http://127.0.0.1:${proxy.port} refused CONNECT 127.0.0.1:9: 407 Proxy Authentication Required (credentials refused)`)
  })

  it('turns a 403 into a ProxyError', async () => {
    const proxy = await http({ refuse: 403 })
    const error = await failure(Connection.open({ host: 'news.example.org', port: 119, protocol: 'nntp', proxy: `http://127.0.0.1:${proxy.port}` }))
    expect(ProxyError.isInstance(error) && error.status).toBe(403)
  })

  it('answers garbage with a ProtocolError', async () => {
    const proxy = await http({ garbage: Buffer.from('SSH-2.0-OpenSSH_9.6\r\n') })
    const error = await failure(Connection.open({ host: '127.0.0.1', port: 9, protocol: 'nntp', proxy: `http://127.0.0.1:${proxy.port}` }))
    expect(ProtocolError.isInstance(error)).toBe(true)
  })

  it('times out on a proxy that stalls, within the connect timeout', async () => {
    const proxy = await http({ stall: true })
    const error = await failure(
      Connection.open({ host: '127.0.0.1', port: 9, protocol: 'nntp', proxy: `http://127.0.0.1:${proxy.port}`, timeouts: { connect: 200 } }),
    )
    expect(TimeoutError.isInstance(error) && error.phase).toBe('connect')
  })
})

describe('a proxy that cannot be reached', () => {
  it.each(['socks5h', 'http'])('%s: ConnectionError that names the proxy, not its credentials', async (scheme) => {
    const closed = await closedPort()
    const error = await failure(Connection.open({ host: '127.0.0.1', port: 9, protocol: 'pop3', proxy: `${scheme}://u:hidden@127.0.0.1:${closed}` }))
    expect(ConnectionError.isInstance(error)).toBe(true)
    expect(error.message).toBe(`cannot reach the proxy ${scheme}://127.0.0.1:${closed}: ECONNREFUSED`)
  })
})

async function closedPort(): Promise<number> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  return typeof address === 'object' && address !== null ? address.port : 0
}

describe('the tunnel as a bare stream (FTP data connections read it late)', () => {
  it.each(['socks5h', 'http'])('%s: bytes that the target sent before anyone reads are kept', async (scheme) => {
    const server = createServer((socket) => socket.end('early bytes\r\n'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())))
    const address = server.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    const proxy = scheme === 'http' ? await http() : await socks()
    const { connect } = resolveConnector({ proxy: `${scheme}://127.0.0.1:${proxy.port}`, protocol: 'ftp', host: '127.0.0.1', port })
    const stream = await connect({ host: '127.0.0.1', port, timeout: 2000 })
    cleanups.push(async () => void stream.destroy())
    await new Promise((resolve) => setTimeout(resolve, 100)) // the bytes arrive and wait, unread
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).toString()).toBe('early bytes\r\n')
  })
})

describe('proxy edge cases', () => {
  it('https:// speaks TLS to the proxy itself (checked against the given CA), then CONNECT inside it', async () => {
    const server = await target()
    const proxy = await http()
    const certificates = await createTestCertificates()
    const front = createTlsServer({ cert: certificates.cert, key: certificates.key }, (secure) => {
      const inner = connect({ host: '127.0.0.1', port: proxy.port })
      secure.pipe(inner).pipe(secure)
      secure.on('error', () => inner.destroy())
      inner.on('error', () => secure.destroy())
    })
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => front.close(() => resolve())))
    const address = front.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    const settings = { type: 'http', host: 'localhost', port, tls: { ca: certificates.ca } } as const
    const connection = await Connection.open({ host: '127.0.0.1', port: server.port, protocol: 'smtp', proxy: settings })
    expect(connection.proxy).toBe(`https://localhost:${port}`)
    expect((await connection.readGreeting()).code).toBe(220)
    connection.destroy()
    const untrusted = await failure(Connection.open({ host: '127.0.0.1', port: server.port, protocol: 'smtp', proxy: `https://localhost:${port}` }))
    expect(TlsError.isInstance(untrusted)).toBe(true)
  })

  it.each(['socks5h', 'http'])('%s: the caller’s signal aborts a proxy that stalls', async (scheme) => {
    const proxy = scheme === 'http' ? await http({ stall: true }) : await socks({ stall: true })
    const controller = new AbortController()
    const opening = Connection.open({ host: '127.0.0.1', port: 9, protocol: 'nntp', proxy: `${scheme}://127.0.0.1:${proxy.port}`, signal: controller.signal })
    setTimeout(() => controller.abort(new Error('user gave up')), 50)
    expect(AbortError.isInstance(await failure(opening))).toBe(true)
  })
})
