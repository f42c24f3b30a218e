import { connect as netConnect, createServer, type Server, type Socket } from 'node:net'
import { connect as tlsConnect, createSecureContext, TLSSocket, type TLSSocket as TlsSocketType } from 'node:tls'
import type { Duplex } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { AbortError, TimeoutError } from '../errors/index.ts'
import { createTestCertificates } from '../testing/test-certificates.ts'
import { listenForDataConnection } from './listen-for-data-connection.ts'
import { openDataConnection } from './open-data-connection.ts'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

async function listen(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createServer(onSocket)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as { port: number }).port
}

function readAll(stream: Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => resolve(Buffer.concat(chunks)))
    stream.on('error', reject)
  })
}

describe('openDataConnection', () => {
  it('opens a plain data connection and reads the file to EOF', async () => {
    const port = await listen((socket) => socket.end('file bytes'))
    const data = await openDataConnection({ host: '127.0.0.1', port, timeout: 5000 })
    expect((await readAll(data)).toString()).toBe('file bytes')
  })

  it('goes through the connect seam', async () => {
    const port = await listen((socket) => socket.end('via seam'))
    const seen: string[] = []
    const data = await openDataConnection({
      host: 'data.invalid',
      port: 1,
      timeout: 5000,
      connect: async (options) => {
        seen.push(`${options.host}:${options.port}`)
        return netConnect({ host: '127.0.0.1', port })
      },
    })
    expect((await readAll(data)).toString()).toBe('via seam')
    expect(seen).toEqual(['data.invalid:1'])
  })

  it('reads into the caller\'s buffer with onread, pauses when told, and ignores onread behind a seam', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 7)
    const port = await listen((socket) => socket.end(payload))
    const buffer = Buffer.alloc(64 * 1024)
    const chunks: Buffer[] = []
    let calls = 0
    const opened: Duplex[] = []
    const onread = {
      buffer,
      callback: (bytes: number, into: Uint8Array): boolean => {
        expect(into).toBe(buffer)
        chunks.push(Buffer.from(buffer.subarray(0, bytes)))
        calls++
        if (calls % 3 !== 0) return true
        setImmediate(() => opened[0]?.resume()) // paused by `false`: resumed later, as a writer would
        return false
      },
    }
    const data = await openDataConnection({ host: '127.0.0.1', port, timeout: 5000, onread })
    opened.push(data)
    const ended = new Promise((resolve) => data.once('end', resolve))
    data.on('data', () => chunks.push(Buffer.from('never')))
    await ended
    expect(Buffer.concat(chunks).equals(payload)).toBe(true)
    expect(calls).toBeGreaterThan(3)
    const viaSeam = await openDataConnection({ host: '127.0.0.1', port, timeout: 5000, onread, connect: async () => netConnect({ host: '127.0.0.1', port }) })
    expect((await readAll(viaSeam)).length).toBe(payload.length)
  })

  it('resumes the TLS session it is given (require_ssl_reuse) and sends close_notify on end', async () => {
    const { ca, cert, key } = await createTestCertificates()
    const context = createSecureContext({ cert, key })
    const reused: boolean[] = []
    const received: string[] = []
    const ends: Array<Promise<void>> = []
    const port = await listen((raw) => {
      const secure = new TLSSocket(raw, { isServer: true, secureContext: context })
      secure.on('error', () => undefined)
      ends.push(
        new Promise((resolve) => {
          let text = ''
          secure.on('secure', () => reused.push(secure.isSessionReused()))
          secure.on('data', (chunk: Buffer) => (text += chunk.toString()))
          secure.on('end', () => {
            received.push(text)
            secure.end()
            resolve()
          })
        }),
      )
    })
    // A first connection, as the control connection would be, gives the session to resume.
    const first = tlsConnect({ host: '127.0.0.1', port, ca })
    const session = await new Promise<Buffer>((resolve) => first.once('session', resolve))
    first.end()
    const data = (await openDataConnection({ host: '127.0.0.1', port, timeout: 5000, tls: { settings: { ca }, session } })) as TlsSocketType
    data.end('uploaded')
    await ends[1]
    expect(received[1]).toBe('uploaded')
    expect(reused).toEqual([false, true])
    expect(data.isSessionReused()).toBe(true)
  })

  it('times out when the seam never answers', async () => {
    await expect(
      openDataConnection({ host: '127.0.0.1', port: 9, timeout: 50, connect: () => new Promise<never>(() => undefined) }),
    ).rejects.toSatisfy((error) => TimeoutError.isInstance(error))
  })
})

describe('listenForDataConnection', () => {
  it('accepts the server connection and closes the listener', async () => {
    const listener = await listenForDataConnection({ host: '127.0.0.1', timeout: 5000 })
    expect(listener.family).toBe(4)
    const server = netConnect({ host: listener.address, port: listener.port }, () => server.end('active bytes'))
    const data = await listener.accept()
    expect((await readAll(data)).toString()).toBe('active bytes')
    await listener.close()
  })

  it('keeps a connection that arrives before accept() is called (vsftpd connects before its 150)', async () => {
    const listener = await listenForDataConnection({ host: '127.0.0.1', timeout: 5000 })
    const server = netConnect({ host: listener.address, port: listener.port }, () => server.end('early bytes'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const data = await listener.accept()
    expect((await readAll(data)).toString()).toBe('early bytes')
  })

  it('close() without accept() stops waiting at once', async () => {
    const listener = await listenForDataConnection({ host: '127.0.0.1', timeout: 60_000 })
    await listener.close()
    await expect(listener.accept()).rejects.toSatisfy((error) => AbortError.isInstance(error))
  })

  it('drops a connection from another peer than the server', async () => {
    const listener = await listenForDataConnection({ host: '127.0.0.1', timeout: 300, peer: '127.0.0.2' })
    const stranger = netConnect({ host: '127.0.0.1', port: listener.port })
    stranger.on('error', () => undefined)
    await expect(listener.accept()).rejects.toSatisfy((error) => TimeoutError.isInstance(error))
    stranger.destroy()
  })

  it('rejects with AbortError when the signal fires', async () => {
    const controller = new AbortController()
    const listener = await listenForDataConnection({ host: '127.0.0.1', timeout: 5000, signal: controller.signal })
    const accepting = listener.accept()
    controller.abort()
    await expect(accepting).rejects.toSatisfy((error) => AbortError.isInstance(error))
  })

  it('is the TLS client on the accepted socket (FTPS active mode)', async () => {
    const { ca, cert, key } = await createTestCertificates()
    const listener = await listenForDataConnection({ host: '127.0.0.1', timeout: 5000, tls: { settings: { ca } } })
    const raw = netConnect({ host: '127.0.0.1', port: listener.port })
    const secure = new TLSSocket(raw, { isServer: true, secureContext: createSecureContext({ cert, key }) })
    secure.on('secure', () => secure.end('secret listing'))
    const data = await listener.accept()
    expect((data as TlsSocketType).encrypted).toBe(true)
    expect((await readAll(data)).toString()).toBe('secret listing')
  })
})
