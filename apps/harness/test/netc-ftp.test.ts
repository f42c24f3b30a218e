// @netc/ftp against real vsftpd 3.0.3 (plain, explicit TLS with require_ssl_reuse=YES, implicit TLS) and
// pure-ftpd 1.0.50 (MLSD), both started by the harness itself.
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FtpClient, FtpPool, FtpReplyError, type FtpClientOptions } from '@netc/ftp'
import { connectSocket, type ConnectFunction } from '@netc/transport'
import { ftpWelcome, startPureFtpd, startVsftpd, type FtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

let local: string
beforeAll(async () => {
  local = await mkdtemp(join(tmpdir(), 'netc-ftp-harness-'))
})
afterAll(async () => {
  await rm(local, { recursive: true, force: true })
})

const big = randomBytes(5 * 1024 * 1024 + 3)

function suite(name: string, start: () => Promise<FtpDaemon>, modes: ReadonlyArray<[string, FtpClientOptions]>): void {
  describe(name, () => {
    let daemon: FtpDaemon
    daemonHooks(start, (started) => {
      daemon = started
    })
    const connect = (options: FtpClientOptions = {}): Promise<FtpClient> => {
      const { user, pass } = daemon.users[0]!
      return FtpClient.connect({ host: daemon.host, port: daemon.port, user, password: pass, tls: { ca: daemon.ca }, ...options })
    }

    it.each(modes)('the seed scenario and every command: %s', async (_, options) => {
      await using ftp = await connect(options)
      expect(ftp.secure).toBe(options.secure !== undefined && options.secure !== false)
      const names = (await ftp.list()).map((entry) => entry.name)
      expect(names).toContain(ftpWelcome.name)
      const dir = `dir-${randomBytes(4).toString('hex')}`
      await ftp.mkdir(`${dir}/sub/deeper`, { recursive: true })
      await ftp.cd(dir)
      expect(await ftp.pwd()).toMatch(new RegExp(`/${dir}$`))
      await ftp.upload(big, 'sub/big.bin')
      expect(await ftp.size('sub/big.bin')).toBe(big.length)
      expect(await ftp.lastModified('sub/big.bin')).toBeInstanceOf(Date)
      expect(await ftp.stat('sub/big.bin')).toMatchObject({ type: 'file', size: big.length })
      const target = join(local, `${dir}.bin`)
      expect(await ftp.download('sub/big.bin', target)).toBe(big.length)
      expect((await readFile(target)).equals(big)).toBe(true)
      await ftp.append(Buffer.from('tail'), 'sub/big.bin')
      expect(await ftp.size('sub/big.bin')).toBe(big.length + 4)
      await ftp.rename('sub/big.bin', 'sub/renamed.bin')
      expect(await ftp.nameList('sub')).toEqual(expect.arrayContaining([expect.stringMatching(/renamed\.bin$/)]))
      await ftp.cdup()
      await ftp.rmdir(dir, { recursive: true })
      expect((await ftp.list()).map((entry) => entry.name)).not.toContain(dir)
    })

    it('explains what failed: cd, read, login; nothing left behind', async () => {
      await using ftp = await connect()
      await expect(ftp.cd('dave')).rejects.toThrow(/^CWD dave failed: 550 /)
      await expect(ftp.download('dave.txt', join(local, 'dave.txt'))).rejects.toSatisfy(
        (error) => FtpReplyError.isInstance(error) && /^RETR dave\.txt failed: 550 /.test(error.message),
      )
      expect(await readdir(local)).not.toContain('dave.txt')
      expect((await readdir(local)).filter((file) => file.endsWith('.part'))).toEqual([])
      await expect(connect({ password: 'wrong' })).rejects.toThrow(/^cannot log in as netcftp1: 530 /)
    })

    it('round-trips a directory tree (uploadDir, downloadDir)', async () => {
      await using ftp = await connect()
      const source = join(local, `tree-${randomBytes(4).toString('hex')}`)
      await mkdir(join(source, 'a', 'b'), { recursive: true })
      await writeFile(join(source, 'one.txt'), 'one')
      await writeFile(join(source, 'a', 'b', 'two.bin'), big.subarray(0, 200_000))
      const remote = `tree-${randomBytes(4).toString('hex')}`
      expect(await ftp.uploadDir(source, remote)).toMatchObject({ files: 2, bytes: 200_003 })
      const copy = `${source}-copy`
      expect(await ftp.downloadDir(remote, copy)).toEqual({ files: 2, bytes: 200_003, skipped: [] })
      expect((await readFile(join(copy, 'a', 'b', 'two.bin'))).equals(big.subarray(0, 200_000))).toBe(true)
      await ftp.rmdir(remote, { recursive: true })
    })

    it('moves 20 files in parallel over a pool of 4 connections', async () => {
      const { user, pass } = daemon.users[0]!
      await using pool = await FtpPool.connect({ host: daemon.host, port: daemon.port, user, password: pass }, { size: 4 })
      const dir = `pool-${randomBytes(4).toString('hex')}`
      await pool.run((client) => client.mkdir(dir))
      const names = Array.from({ length: 20 }, (_, i) => `${dir}/file-${i}.bin`)
      await Promise.all(names.map((name, i) => pool.upload(big.subarray(i * 1000, i * 1000 + 50_000), name)))
      const target = join(local, dir)
      await mkdir(target)
      const sizes = await Promise.all(names.map((name, i) => pool.download(name, join(target, `file-${i}.bin`))))
      expect(sizes).toEqual(names.map(() => 50_000))
      expect((await readFile(join(target, 'file-7.bin'))).equals(big.subarray(7000, 57_000))).toBe(true)
      await pool.run((client) => client.rmdir(dir, { recursive: true }))
    })

    it.each([
      ['plain', {}],
      ['explicit TLS', { secure: 'explicit' }],
    ] as const)('pipelining (%s): queued downloads, EPSV and RETR in one write, a missing file among them, in step', async (_, options) => {
      await using ftp = await connect({ ...options, pipelining: true })
      const home = await ftp.pwd()
      const dir = `queued-${randomBytes(4).toString('hex')}`
      await ftp.mkdir(dir)
      const sizes = [1_500_000, 10, 70_000, 0, 3]
      for (const [i, size] of sizes.entries()) await ftp.upload(big.subarray(i, i + size), `${dir}/f${i}.bin`)
      const names = ['f0.bin', 'f1.bin', 'missing.bin', 'f2.bin', 'f3.bin', 'f4.bin']
      const target = join(local, dir)
      await mkdir(target)
      const results = await Promise.allSettled(names.map((name) => ftp.download(`${dir}/${name}`, join(target, name))))
      expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'refused'))).toEqual([1_500_000, 10, 'refused', 70_000, 0, 3])
      const refusal = (results[2] as PromiseRejectedResult).reason as unknown
      expect(FtpReplyError.isInstance(refusal) && refusal.replyCode === 550).toBe(true)
      for (const [i, size] of sizes.entries()) expect((await readFile(join(target, `f${i}.bin`))).equals(big.subarray(i, i + size))).toBe(true)
      expect((await readdir(target)).sort()).toEqual(['f0.bin', 'f1.bin', 'f2.bin', 'f3.bin', 'f4.bin'])
      expect(await ftp.downloadDir(dir, `${target}-dir`)).toMatchObject({ files: 5, bytes: sizes.reduce((sum, size) => sum + size, 0) })
      expect(await ftp.pwd()).toBe(home)
      await ftp.rmdir(dir, { recursive: true })
    })

    it('resumes a download and an upload', async () => {
      await using ftp = await connect({ secure: 'explicit' })
      const name = `resume-${randomBytes(4).toString('hex')}.bin`
      await ftp.upload(big.subarray(0, 1_000_000), name)
      expect(await ftp.upload(big, name, { resume: true })).toBe(big.length - 1_000_000)
      expect(await ftp.size(name)).toBe(big.length)
      const target = join(local, name)
      await writeFile(target, big.subarray(0, 123_456))
      expect(await ftp.download(name, target, { resume: true })).toBe(big.length - 123_456)
      expect((await readFile(target)).equals(big)).toBe(true)
      await ftp.remove(name)
    })
  })
}

suite('vsftpd', startVsftpd, [
  ['plain, passive', {}],
  ['plain, active', { passive: false }],
  ['explicit TLS (require_ssl_reuse=YES), passive', { secure: 'explicit' }],
  ['explicit TLS (require_ssl_reuse=YES), active', { secure: 'explicit', passive: false }],
])

/** A seam that breaks the `nth` connection to a port other than `controlPort` (a data connection) as soon as it opens. */
function breakingDataConnection(controlPort: number, nth: number): ConnectFunction {
  let count = 0
  return async (options) => {
    const socket = await connectSocket(options)
    if (options.port !== controlPort && ++count === nth) socket.destroy()
    return socket
  }
}

/** A seam that destroys the first control connection when the client sends `verb` on it (the server gone away). */
function dyingControlConnection(controlPort: number, verb: string): ConnectFunction {
  let armed = true
  return async (options) => {
    const socket: Duplex = await connectSocket(options)
    if (options.port !== controlPort || !armed) return socket
    armed = false
    const write = socket.write.bind(socket) as (chunk: unknown) => boolean
    socket.write = ((chunk: unknown) => {
      if (Buffer.from(chunk as Uint8Array).toString('latin1').startsWith(verb)) {
        socket.destroy()
        return false
      }
      return write(chunk)
    }) as typeof socket.write
    return socket
  }
}

describe('vsftpd, anonymous and implicit TLS', () => {
  let daemon: FtpDaemon
  daemonHooks(startVsftpd, (started) => {
    daemon = started
  })

  it('logs in anonymously by default and downloads', async () => {
    await using ftp = await FtpClient.connect(`ftp://${daemon.host}:${daemon.port}`)
    const target = join(local, 'anonymous-welcome.txt')
    await ftp.download(ftpWelcome.name, target)
    expect(await readFile(target, 'utf8')).toBe(ftpWelcome.content)
  })

  it.each([
    ['plain', {}],
    ['explicit TLS (require_ssl_reuse=YES)', { secure: 'explicit' as const }],
  ])('downloads one file over 3 connections with REST ranges, byte-exact: %s', async (_, options) => {
    const { user, pass } = daemon.users[0]!
    await using ftp = await FtpClient.connect({ host: daemon.host, port: daemon.port, user, password: pass, tls: { ca: daemon.ca }, ...options })
    const name = `segments-${randomBytes(4).toString('hex')}.bin`
    await ftp.upload(big, name)
    const target = join(local, name)
    let reported = 0
    expect(await ftp.download(name, target, { segments: 3, onProgress: (progress) => (reported = progress.bytes) })).toBe(big.length)
    expect((await readFile(target)).equals(big)).toBe(true)
    expect(reported).toBe(big.length)
    expect((await readdir(local)).filter((entry) => entry.startsWith(name))).toEqual([name])
    await ftp.remove(name)
  })

  it('a segment whose data connection breaks fails the download: no file left, the client usable', async () => {
    const { user, pass } = daemon.users[0]!
    const connect = breakingDataConnection(daemon.port, 3)
    await using ftp = await FtpClient.connect({ host: daemon.host, port: daemon.port, user, password: pass, connect })
    const name = `segment-fault-${randomBytes(4).toString('hex')}.bin`
    await ftp.upload(big, name) // data connection 1
    await expect(ftp.download(name, join(local, name), { segments: 3 })).rejects.toBeInstanceOf(Error)
    expect((await readdir(local)).filter((entry) => entry.startsWith(name))).toEqual([])
    expect(await ftp.size(name)).toBe(big.length)
    await ftp.remove(name)
  })

  it('a pool runs a transfer again on a new connection when its connection died before the transfer began', async () => {
    const { user, pass } = daemon.users[0]!
    const connect = dyingControlConnection(daemon.port, 'EPSV')
    await using pool = await FtpPool.connect({ host: daemon.host, port: daemon.port, user, password: pass, connect }, { size: 1 })
    const target = join(local, 'pool-retry-welcome.txt')
    expect(await pool.download(ftpWelcome.name, target)).toBe(Buffer.byteLength(ftpWelcome.content))
    expect(await readFile(target, 'utf8')).toBe(ftpWelcome.content)
  })

  it('implicit FTPS (ftps://) with session reuse on the data connection', async () => {
    const { user, pass } = daemon.users[0]!
    await using ftp = await FtpClient.connect(`ftps://${user}:${pass}@${daemon.host}:${daemon.tlsPort}`, { tls: { ca: daemon.ca } })
    expect(ftp.secure).toBe(true)
    expect((await ftp.list()).map((entry) => entry.name)).toContain(ftpWelcome.name)
  })
})

suite('pure-ftpd', startPureFtpd, [
  ['plain, passive (MLSD)', {}],
  ['plain, active', { passive: false }],
])
