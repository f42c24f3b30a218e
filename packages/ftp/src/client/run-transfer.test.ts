import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { TimeoutError } from '@netc/transport'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import { FtpClient } from './ftp-client.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-run-transfer-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const files = { 'big.bin': Buffer.alloc(64 * 1024, 7), 'small.txt': 'small' }

describe('runTransfer: one data-idle timer per connection, reused by its transfers', () => {
  it('times out stalled transfers after others, and after firing while the connection was idle', async () => {
    await using server = await FtpTestServer.start({ files, faults: { stallDataAfterBytes: 1000 } })
    await using ftp = await FtpClient.connect(server.url(), { timeouts: { data: 200 } })
    for (let i = 0; i < 3; i++) expect(await ftp.download('small.txt', join(directory, `small-${i}.txt`))).toBe(5)
    // Longer than the data timeout with no transfer: the timer fires with nothing to stop.
    await new Promise((resolve) => setTimeout(resolve, 300))
    // A source that never yields: no chunk ever pushes the timer back, so only the transfer's start arms it.
    await expect(ftp.upload(new Readable({ read: () => undefined }), 'silent.bin')).rejects.toSatisfy(
      (error) => TimeoutError.isInstance(error) && error.phase === 'data',
    )
    expect(await ftp.download('small.txt', join(directory, 'small-3.txt'))).toBe(5)
    await expect(ftp.download('big.bin', join(directory, 'big.bin'))).rejects.toSatisfy(
      (error) => TimeoutError.isInstance(error) && error.phase === 'data',
    )
    expect((await readdir(directory)).sort()).toEqual(['small-0.txt', 'small-1.txt', 'small-2.txt', 'small-3.txt'])
    expect(await ftp.download('small.txt', join(directory, 'small-4.txt'))).toBe(5)
  })
})
