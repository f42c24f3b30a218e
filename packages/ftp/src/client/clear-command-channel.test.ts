import { Writable } from 'node:stream'
import { InvalidArgumentError, InvalidStateError, TimeoutError } from '@netc/transport'
import { tapConnection } from '@netc/transport/testing'
import { describe, expect, it } from 'vitest'
import { FtpReplyError } from '../ftp-reply-error.ts'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import type { FtpServerFaults } from '../testing/ftp-test-server-options.ts'
import { FtpClient } from './ftp-client.ts'
import type { FtpClientOptions } from './ftp-client-options.ts'

const users = { dave: 'pw' }
const files = { 'a.txt': 'over protected data' }

async function start(faults: FtpServerFaults = {}): Promise<FtpTestServer> {
  return FtpTestServer.start({ users, files, tls: 'explicit', requireTls: true, requireSessionReuse: true, faults })
}

function connect(server: FtpTestServer, options: FtpClientOptions): Promise<FtpClient> {
  return FtpClient.connect(server.url({ user: 'dave', pass: 'pw' }), { secure: 'explicit', tls: { ca: server.ca }, ...options })
}

const collect = (chunks: Buffer[]): Writable => new Writable({ write: (chunk: Buffer, _e, callback) => (chunks.push(chunk), callback()) })

describe('CCC, Clear Command Channel (RFC 4217 section 6)', () => {
  it('ccc: true: after login the control connection is plaintext on the same TCP connection; data stays TLS with session reuse', async () => {
    await using server = await start()
    const tap = tapConnection()
    const lines: string[] = []
    await using ftp = await connect(server, { ccc: true, connect: tap.connect, debug: (line) => lines.push(line) })
    expect(ftp.secure).toBe(false)
    expect(ftp.dataProtected).toBe(true)
    expect(server.commands).toEqual(['AUTH TLS', 'FEAT', 'USER dave', 'PASS ****', 'OPTS UTF8 ON', 'PBSZ 0', 'PROT P', 'CCC', 'TYPE I'])
    expect(lines).toContain('-- TLS ended: plaintext from here')
    // The server demands TLS data connections that resume the control session: these succeed only so.
    expect((await ftp.list()).map((entry) => entry.name)).toEqual(['a.txt'])
    const chunks: Buffer[] = []
    await ftp.download('a.txt', collect(chunks))
    expect(Buffer.concat(chunks).toString()).toBe('over protected data')
    await ftp.upload(Buffer.from('uploaded'), 'b.txt')
    expect(server.file('b.txt')?.toString()).toBe('uploaded')
    expect(await ftp.pwd()).toBe('/')
    // On the wire: the login replies were encrypted, the replies after CCC are in clear.
    const wire = tap.wire()
    expect(wire).not.toContain('230 Login successful.')
    expect(wire).toContain('200 Switching to Binary mode.\r\n')
    expect(wire).toContain('257 "/"')
    expect(wire).toContain('226 Transfer complete.\r\n')
    expect(server.errors).toEqual([])
  })

  it("ccc: 'later' then ftp.ccc(): the same, on demand", async () => {
    await using server = await start()
    await using ftp = await connect(server, { ccc: 'later' })
    expect(ftp.secure).toBe(true)
    expect(await ftp.pwd()).toBe('/')
    await ftp.ccc()
    expect(ftp.secure).toBe(false)
    const chunks: Buffer[] = []
    await ftp.download('a.txt', collect(chunks))
    expect(Buffer.concat(chunks).toString()).toBe('over protected data')
    expect(server.commands.slice(-4)).toEqual(['PWD', 'CCC', 'EPSV', 'RETR a.txt'])
    // Already clear: nothing to remove.
    await expect(ftp.ccc()).rejects.toBeInstanceOf(InvalidStateError)
    expect(server.errors).toEqual([])
  })

  it('a refusal (534) is an FtpReplyError; the client stays usable on TLS', async () => {
    await using server = await start({ replies: { CCC: '534 Request denied for policy reasons.' } })
    await using ftp = await connect(server, { ccc: 'later' })
    const error = await ftp.ccc().catch((e: unknown) => e)
    expect(FtpReplyError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ replyCode: 534, message: 'CCC failed: 534 Request denied for policy reasons.' })
    expect(ftp.secure).toBe(true)
    expect(ftp.state).toBe('ready')
    expect(await ftp.pwd()).toBe('/')
    expect((await ftp.list()).map((entry) => entry.name)).toEqual(['a.txt'])
  })

  it('ccc: true refused at connect: connect fails with the FtpReplyError', async () => {
    await using server = await start({ replies: { CCC: '500 Unknown command.' } })
    await expect(connect(server, { ccc: true })).rejects.toSatisfy((error) => FtpReplyError.isInstance(error) && error.replyCode === 500)
  })

  it('a server that never sends close_notify: TimeoutError, and the client is closed (no hang)', async () => {
    await using server = await start({ cccWithoutShutdown: true })
    await using ftp = await connect(server, { ccc: 'later', timeouts: { reply: 300 } })
    await expect(ftp.ccc()).rejects.toBeInstanceOf(TimeoutError)
    expect(ftp.state).toBe('closed')
  })

  it('ftp.ccc() without the ccc option: InvalidStateError before anything is sent (TLS over the socket cannot be removed)', async () => {
    await using server = await start()
    await using ftp = await connect(server, {})
    await expect(ftp.ccc()).rejects.toSatisfy((error) => InvalidStateError.isInstance(error) && /ccc: true or 'later'/.test(error.message))
    expect(server.commands).not.toContain('CCC')
    expect(await ftp.pwd()).toBe('/')
  })

  it.each([
    ['plaintext', { secure: false as const }],
    ['implicit TLS', { secure: 'implicit' as const }],
  ])('ccc with %s: InvalidArgumentError before connecting', async (_, options) => {
    await expect(FtpClient.connect({ host: '127.0.0.1', port: 1, ccc: true, ...options })).rejects.toBeInstanceOf(InvalidArgumentError)
  })
})
