import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { AbortError, ClosedError, ConnectionError, InvalidArgumentError, ProtocolError, TimeoutError } from '@netc/transport'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpReplyError } from '../ftp-reply-error.ts'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import type { FtpServerFaults } from '../testing/ftp-test-server-options.ts'
import { FtpClient } from './ftp-client.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-faults-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const big = randomBytes(2 * 1024 * 1024)
const files = { 'big.bin': big, 'small.txt': 'small' }
const sink = (): Writable => new Writable({ write: (_chunk, _encoding, callback) => callback() })

async function start(faults: FtpServerFaults, extra: Parameters<typeof FtpTestServer.start>[0] = {}) {
  return FtpTestServer.start({ files, faults, ...extra })
}

/** The client is still usable: a command and a small transfer work. */
async function expectUsable(ftp: FtpClient): Promise<void> {
  expect(await ftp.pwd()).toBe('/')
  expect(await ftp.size('small.txt')).toBe(5)
}

describe('the faults the issue lists: a typed error, a usable client, nothing half-written', () => {
  it('a data connection that drops mid-file', async () => {
    await using server = await start({ dropDataAfterBytes: 100_000 })
    await using ftp = await FtpClient.connect(server.url())
    await expect(ftp.download('big.bin', join(directory, 'big.bin'))).rejects.toSatisfy(
      (error) => FtpReplyError.isInstance(error) && error.replyCode === 426 && error.message.startsWith('RETR big.bin failed: 426'),
    )
    expect(await readdir(directory)).toEqual([])
    await expectUsable(ftp)
    await ftp.download('small.txt', join(directory, 'small.txt'))
    expect(await readdir(directory)).toEqual(['small.txt'])
  })

  it('a 425 (no data connection)', async () => {
    await using server = await start({ reply425: true })
    await using ftp = await FtpClient.connect(server.url())
    await expect(ftp.download('big.bin', join(directory, 'x'))).rejects.toSatisfy(
      (error) => FtpReplyError.isInstance(error) && error.replyCode === 425 && error.isTransient,
    )
    await expect(ftp.list()).rejects.toSatisfy((error) => FtpReplyError.isInstance(error) && error.replyCode === 425)
    expect(await readdir(directory)).toEqual([])
    await expectUsable(ftp)
  })

  it('a 426 in place of the transfer', async () => {
    await using server = await start({ replies: { RETR: '426 Connection closed; transfer aborted.' } })
    await using ftp = await FtpClient.connect(server.url())
    await expect(ftp.download('big.bin', join(directory, 'x'))).rejects.toThrow('RETR big.bin failed: 426 Connection closed; transfer aborted.')
    expect(await readdir(directory)).toEqual([])
    await expectUsable(ftp)
  })

  it('a PASV reply pointing elsewhere is ignored: the data goes to the control host', async () => {
    await using server = await start({ refuseEpsv: true, pasvAddress: '127.0.0.2' })
    await using ftp = await FtpClient.connect(server.url())
    expect(await ftp.download('small.txt', join(directory, 'small.txt'))).toBe(5)
    expect(server.commands).toContain('PASV')
  })

  it('a PASV address is only followed with allowSeparateTransferHost (then a refusal is typed, the client usable)', async () => {
    await using server = await start({ refuseEpsv: true, pasvAddress: '127.0.0.2' })
    await using ftp = await FtpClient.connect(server.url(), { allowSeparateTransferHost: true })
    await expect(ftp.download('small.txt', join(directory, 'small.txt'))).rejects.toSatisfy(
      (error) => ConnectionError.isInstance(error) && /127\.0\.0\.2/.test(error.message),
    )
    expect(await readdir(directory)).toEqual([])
    await expectUsable(ftp)
  })

  it('a filename with CRLF is an InvalidArgumentError before anything is sent', async () => {
    await using server = await start({})
    await using ftp = await FtpClient.connect(server.url())
    const before = server.commands.length
    const calls: Array<() => Promise<unknown>> = [
      () => ftp.download('evil\r\nDELE small.txt', join(directory, 'evil')),
      () => ftp.upload(Buffer.from('x'), 'evil\r\nDELE small.txt'),
      () => ftp.cd('a\nb'),
      () => ftp.remove('a\0b'),
      () => ftp.execute('NOOP\r\nDELE small.txt'),
    ]
    for (const call of calls) {
      await expect(Promise.resolve().then(call)).rejects.toSatisfy((error) => InvalidArgumentError.isInstance(error))
    }
    expect(server.commands.length).toBe(before)
    expect(await readdir(directory)).toEqual([])
    expect(server.file('small.txt')?.toString()).toBe('small')
    await expectUsable(ftp)
  })

  it('an aborted upload: AbortError, the partial remote file removed, the client usable', async () => {
    await using server = await start({})
    await using ftp = await FtpClient.connect(server.url())
    const controller = new AbortController()
    async function* slow() {
      yield Buffer.alloc(64 * 1024, 1)
      controller.abort(new Error('user pressed stop'))
      await new Promise((resolve) => setTimeout(resolve, 10_000))
      yield Buffer.alloc(1)
    }
    await expect(ftp.upload(Readable.from(slow()), 'partial.bin', { signal: controller.signal })).rejects.toSatisfy(
      (error) => AbortError.isInstance(error),
    )
    expect(server.file('partial.bin')).toBeUndefined()
    expect(server.commands).toEqual(expect.arrayContaining(['STOR partial.bin', 'ABOR', 'NOOP', 'DELE partial.bin']))
    await expectUsable(ftp)
  })

  it('an aborted download: AbortError, no local file, the client usable', async () => {
    await using server = await start({ stallDataAfterBytes: 200_000 })
    await using ftp = await FtpClient.connect(server.url())
    const controller = new AbortController()
    const download = ftp.download('big.bin', join(directory, 'big.bin'), {
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.bytes > 0) controller.abort()
      },
    })
    setTimeout(() => controller.abort(), 500)
    await expect(download).rejects.toSatisfy((error) => AbortError.isInstance(error))
    expect(await readdir(directory)).toEqual([])
    await expectUsable(ftp)
  })

  it('an already aborted signal sends nothing', async () => {
    await using server = await start({})
    await using ftp = await FtpClient.connect(server.url())
    const before = server.commands.length
    await expect(ftp.download('small.txt', sink(), { signal: AbortSignal.abort() })).rejects.toSatisfy((error) => AbortError.isInstance(error))
    expect(server.commands.length).toBe(before)
  })
})

describe('control and data connection faults', () => {
  it('a stalled data connection is a TimeoutError (phase data); the client stays usable', async () => {
    await using server = await start({ stallDataAfterBytes: 1000 })
    await using ftp = await FtpClient.connect(server.url(), { timeouts: { data: 300 } })
    await expect(ftp.download('big.bin', join(directory, 'big.bin'))).rejects.toSatisfy(
      (error) => TimeoutError.isInstance(error) && error.phase === 'data',
    )
    expect(await readdir(directory)).toEqual([])
    await expectUsable(ftp)
  })

  it('a slow upload source is not a data timeout: the source moving counts as activity', async () => {
    await using server = await start({})
    await using ftp = await FtpClient.connect(server.url(), { timeouts: { data: 1000 } })
    async function* slow() {
      for (let i = 0; i < 14; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100)) // 1.4 s in all, over the 1 s data timeout
        yield Buffer.from(`${i % 10}`)
      }
    }
    expect(await ftp.upload(Readable.from(slow()), 'slow.txt')).toBe(14)
    expect(server.file('slow.txt')?.toString()).toBe('01234567890123')
  })

  it('replies split at every byte are read whole', async () => {
    await using server = await start({ control: { splitWrites: 'byte' } })
    await using ftp = await FtpClient.connect(server.url())
    await ftp.cd('/')
    expect((await ftp.list()).map((e) => e.name)).toEqual(['big.bin', 'small.txt'])
    await expectUsable(ftp)
  })

  it.each([1, 10, 40])('EOF after %i bytes of the control connection is a ConnectionError', async (bytes) => {
    await using server = await start({ control: { closeAfterBytes: bytes } })
    await expect(FtpClient.connect(server.url())).rejects.toSatisfy((error) => ConnectionError.isInstance(error) || ClosedError.isInstance(error))
  })

  it('a silent server is a TimeoutError in the greeting phase', async () => {
    await using server = await start({ control: { stallAfterBytes: 0 } })
    await expect(FtpClient.connect(server.url(), { timeouts: { greeting: 200 } })).rejects.toSatisfy(
      (error) => TimeoutError.isInstance(error) && error.phase === 'greeting',
    )
  })

  it('an oversized reply line is a ProtocolError and closes the client', async () => {
    await using server = await start({ replies: { PWD: `257 "/${'x'.repeat(500)}"` } })
    await using ftp = await FtpClient.connect(server.url(), { limits: { maxLineLength: 200 } })
    await expect(ftp.pwd()).rejects.toSatisfy((error) => ProtocolError.isInstance(error))
    expect(ftp.state).toBe('closed')
  })

  it('a listing over maxListingBytes is a ProtocolError; the control connection stays in step', async () => {
    await using server = await start({})
    await using ftp = await FtpClient.connect(server.url(), { limits: { maxListingBytes: 50 } })
    await expect(ftp.list()).rejects.toSatisfy((error) => ProtocolError.isInstance(error))
    await expectUsable(ftp)
  })
})
