import { connectSocket, ProtocolError, type ConnectFunction } from '@netc/transport'
import { startScriptedServer } from '@netc/transport/testing'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import { FtpClient } from './ftp-client.ts'

const sink = (): Writable => new Writable({ write: (_chunk, _encoding, callback) => callback() })

describe('connection paths', () => {
  it.each([
    ['passive', true],
    ['active', false],
  ])('IPv6 (::1), %s: EPSV / EPRT |2|', async (_, passive) => {
    await using server = await FtpTestServer.start({ host: '::1', files: { 'a.txt': 'over IPv6' } })
    await using ftp = await FtpClient.connect(server.url(), { passive })
    const chunks: Buffer[] = []
    await ftp.download('a.txt', new Writable({ write: (chunk: Buffer, _e, callback) => (chunks.push(chunk), callback()) }))
    expect(Buffer.concat(chunks).toString()).toBe('over IPv6')
    const dataCommand = passive ? /^EPSV$/ : /^EPRT \|2\|::1\|\d+\|$/
    expect(server.commands.some((line) => dataCommand.test(line))).toBe(true)
  })

  it('opens data connections through the connect seam too (so that proxies apply)', async () => {
    await using server = await FtpTestServer.start({ files: { 'a.txt': 'a' } })
    const seen: number[] = []
    const connect: ConnectFunction = (options) => {
      seen.push(options.port)
      return connectSocket(options)
    }
    await using ftp = await FtpClient.connect(server.url(), { connect })
    await ftp.download('a.txt', sink())
    expect(seen).toHaveLength(2)
    expect(seen[0]).toBe(server.port)
  })

  it('explicit TLS: AUTH TLS first, FEAT inside TLS, PBSZ and PROT after login', async () => {
    await using server = await FtpTestServer.start({ users: { dave: 'pw' }, tls: 'explicit', requireTls: true })
    await using ftp = await FtpClient.connect(server.url({ user: 'dave', pass: 'pw' }), { secure: 'explicit', tls: { ca: server.ca } })
    expect(ftp.secure).toBe(true)
    // HOST (RFC 7151) is offered, but only sent for a host name, not for an address.
    expect(server.commands).toEqual(['AUTH TLS', 'FEAT', 'USER dave', 'PASS ****', 'OPTS UTF8 ON', 'PBSZ 0', 'PROT P', 'TYPE I'])
  })

  it('sends HOST (RFC 7151) before USER when FEAT offers it and the host is a name', async () => {
    await using server = await FtpTestServer.start()
    const connect: ConnectFunction = (options) => connectSocket({ ...options, host: '127.0.0.1' })
    await using ftp = await FtpClient.connect({ host: 'localhost', port: server.port, connect })
    expect(server.commands.slice(0, 3)).toEqual(['FEAT', 'HOST localhost', 'USER anonymous'])
    expect(await ftp.pwd()).toBe('/')
  })

  it.each([
    ['utf8 (OPTS UTF8 ON)', 'utf8' as const, 'naïve ☃.txt'],
    ['latin1 for an old server', 'latin1' as const, 'café.txt'],
  ])('names in %s', async (_, encoding, name) => {
    await using server = await FtpTestServer.start({ files: { [name]: 'x' }, encoding, utf8: encoding === 'utf8' })
    await using ftp = await FtpClient.connect(server.url(), { encoding })
    expect((await ftp.list()).map((entry) => entry.name)).toEqual([name])
    expect(await ftp.size(name)).toBe(1)
    await ftp.rename(name, `${name}.old`)
    expect(server.file(`${name}.old`)?.toString()).toBe('x')
    expect(server.commands.includes('OPTS UTF8 ON')).toBe(encoding === 'utf8')
  })

  it('refuses plaintext injected after the 234 reply, before the TLS handshake (STARTTLS injection)', async () => {
    await using server = await startScriptedServer({
      script: ['S: 220 scripted', 'C: AUTH TLS', 'S: 234 Proceed with negotiation.', 'S: 230 injected: logged in'],
    })
    await expect(FtpClient.connect({ host: '127.0.0.1', port: server.port, secure: 'explicit' })).rejects.toSatisfy(
      (error) => ProtocolError.isInstance(error) && /injection/.test(error.message),
    )
  })

  it('a createReadStream destroyed early aborts the transfer; the client stays usable', async () => {
    await using server = await FtpTestServer.start({ files: { 'big.bin': Buffer.alloc(8 * 1024 * 1024, 1), 'a.txt': 'a' } })
    await using ftp = await FtpClient.connect(server.url())
    const stream = ftp.createReadStream('big.bin')
    for await (const chunk of stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0)
      break
    }
    expect(await ftp.size('a.txt')).toBe(1)
    expect(await ftp.pwd()).toBe('/')
  })
})
