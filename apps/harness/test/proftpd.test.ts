// @netc/ftp against a real ProFTPD 1.3.8 (mod_tls), started by the harness itself: explicit FTPS and CCC
// (RFC 4217 section 6): the control connection back in plaintext, data connections still TLS.
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FtpClient, FtpReplyError, type FtpClientOptions } from '@netc/ftp'
import { tapConnection } from '@netc/transport/testing'
import { ftpWelcome, startProftpd, type FtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

let local: string
beforeAll(async () => {
  local = await mkdtemp(join(tmpdir(), 'netc-proftpd-harness-'))
})
afterAll(async () => {
  await rm(local, { recursive: true, force: true })
})

describe('ProFTPD 1.3.8', () => {
  let daemon: FtpDaemon
  daemonHooks(startProftpd, (started) => {
    daemon = started
  })
  const connect = (options: FtpClientOptions = {}): Promise<FtpClient> => {
    const { user, pass } = daemon.users[0]!
    return FtpClient.connect({ host: daemon.host, port: daemon.port, user, password: pass, secure: 'explicit', tls: { ca: daemon.ca }, ...options })
  }

  it('explicit FTPS, CCC after login: list, download and upload over TLS data connections, then PWD in clear', async () => {
    const tap = tapConnection()
    await using ftp = await connect({ ccc: true, connect: tap.connect })
    expect(ftp.secure).toBe(false)
    expect(ftp.dataProtected).toBe(true)
    const before = tap.wire().length
    expect((await ftp.list()).map((entry) => entry.name)).toContain(ftpWelcome.name)
    const target = join(local, `welcome-${randomBytes(4).toString('hex')}.txt`)
    expect(await ftp.download(ftpWelcome.name, target)).toBe(ftpWelcome.content.length)
    expect(await readFile(target, 'utf8')).toBe(ftpWelcome.content)
    const payload = randomBytes(300_000)
    const name = `up-${randomBytes(4).toString('hex')}.bin`
    expect(await ftp.upload(payload, name)).toBe(payload.length)
    expect((await readFile(join(daemon.roots[daemon.users[0]!.user]!, name))).equals(payload)).toBe(true)
    expect(await ftp.pwd()).toBe('/')
    // On the wire: the login replies were TLS records; every reply after CCC is plaintext.
    const wire = tap.wire()
    expect(wire.slice(0, before)).not.toMatch(/230 /)
    expect(wire.slice(before)).toMatch(/^229 Entering Extended Passive Mode/)
    expect(wire.slice(before)).toMatch(/\r\n226 Transfer complete\r\n/)
    expect(wire.slice(before)).toMatch(/257 "\/" is the current directory\r\n$/)
    await ftp.remove(name)
  })

  it("ccc: 'later': TLS until ftp.ccc(), plaintext after it; without TLS ProFTPD refuses the login", async () => {
    await using ftp = await connect({ ccc: 'later' })
    expect(ftp.secure).toBe(true)
    expect(await ftp.pwd()).toBe('/')
    await ftp.ccc()
    expect(ftp.secure).toBe(false)
    expect((await ftp.nameList()).map((line) => line.replace(/^\//, ''))).toContain(ftpWelcome.name)
    expect(await ftp.size(ftpWelcome.name)).toBe(ftpWelcome.content.length)
    expect(await ftp.pwd()).toBe('/')
    const { user, pass } = daemon.users[0]!
    await expect(FtpClient.connect({ host: daemon.host, port: daemon.port, user, password: pass })).rejects.toSatisfy(
      (error) => FtpReplyError.isInstance(error) && error.replyCode === 550,
    )
  })

  it('pipelining: queued downloads, EPSV and RETR in one write, a missing file among them, in step', async () => {
    await using ftp = await connect({ pipelining: true })
    const dir = `queued-${randomBytes(4).toString('hex')}`
    await ftp.mkdir(dir)
    const payloads = [randomBytes(1_500_000), randomBytes(10), randomBytes(70_000), Buffer.alloc(0)]
    for (const [i, payload] of payloads.entries()) await ftp.upload(payload, `${dir}/f${i}.bin`)
    const names = ['f0.bin', 'missing.bin', 'f1.bin', 'f2.bin', 'f3.bin']
    const target = join(local, dir)
    await mkdir(target)
    const results = await Promise.allSettled(names.map((name) => ftp.download(`${dir}/${name}`, join(target, name))))
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'refused'))).toEqual([1_500_000, 'refused', 10, 70_000, 0])
    const refusal = (results[1] as PromiseRejectedResult).reason as unknown
    expect(FtpReplyError.isInstance(refusal) && refusal.replyCode === 550).toBe(true)
    for (const [i, payload] of payloads.entries()) expect((await readFile(join(target, `f${i}.bin`))).equals(payload)).toBe(true)
    expect((await readdir(target)).sort()).toEqual(['f0.bin', 'f1.bin', 'f2.bin', 'f3.bin'])
    expect(await ftp.pwd()).toBe('/')
    await ftp.rmdir(dir, { recursive: true })
  })
})
