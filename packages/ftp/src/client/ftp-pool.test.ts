import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClosedError, InvalidArgumentError } from '@netc/transport'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpReplyError } from '../ftp-reply-error.ts'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import { FtpPool } from './ftp-pool.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-pool-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.txt`, `file ${i} `.repeat(1000)]))

describe('FtpPool', () => {
  it('downloads 20 files over at most 4 connections, in parallel', async () => {
    await using server = await FtpTestServer.start({ files })
    await using pool = await FtpPool.connect(server.url(), { size: 4 })
    const names = Object.keys(files)
    const sizes = await Promise.all(names.map((name) => pool.download(name, join(directory, name))))
    expect(sizes).toEqual(names.map((name) => (files[name] as string).length))
    for (const name of names) expect(await readFile(join(directory, name), 'utf8')).toBe(files[name])
    const logins = server.commands.filter((line) => line === 'USER anonymous').length
    expect(logins).toBeGreaterThan(1)
    expect(logins).toBeLessThanOrEqual(4)
  })

  it('uploads in parallel, keeps going after refusals, and rejects after close', async () => {
    await using server = await FtpTestServer.start()
    const pool = await FtpPool.connect(server.url(), { size: 3 })
    await Promise.all(Array.from({ length: 9 }, (_, i) => pool.upload(Buffer.from(`up ${i}`), `u${i}.txt`)))
    expect(server.file('u8.txt')?.toString()).toBe('up 8')
    await expect(pool.download('missing', join(directory, 'missing'))).rejects.toSatisfy((error) => FtpReplyError.isInstance(error))
    expect(await pool.run((client) => client.pwd())).toBe('/')
    await pool.close()
    await expect(pool.run((client) => client.pwd())).rejects.toSatisfy((error) => ClosedError.isInstance(error))
  })

  it('replaces a client that broke', async () => {
    await using server = await FtpTestServer.start()
    await using pool = await FtpPool.connect(server.url(), { size: 1 })
    await pool.run(async (client) => client.destroy())
    expect(await pool.run((client) => client.pwd())).toBe('/')
  })

  it('refuses a bad size', async () => {
    await expect(FtpPool.connect('ftp://127.0.0.1:1', { size: 0 })).rejects.toSatisfy((error) => InvalidArgumentError.isInstance(error))
  })
})
