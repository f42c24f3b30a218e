import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FileInfo } from '../parsers/file-info.ts'
import { downloadDirectory, type DirectoryTransferClient } from './directory-transfer.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-window-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

/** A client whose downloads take a few ticks each, counting how many run at once. */
function slowClient(files: number, failAt?: number): DirectoryTransferClient & { started: string[]; most: number } {
  let running = 0
  const client = {
    started: [] as string[],
    most: 0,
    list: (): Promise<FileInfo[]> =>
      Promise.resolve(Array.from({ length: files }, (_, index) => ({ name: `f${index}`, type: 'file', raw: `f${index}` }))),
    async download(remote: string): Promise<number> {
      client.started.push(remote)
      running++
      client.most = Math.max(client.most, running)
      try {
        for (let tick = 0; tick < 3; tick++) await new Promise((resolve) => setImmediate(resolve))
        if (remote === `dir/f${String(failAt)}`) throw new Error(`cannot read ${remote}`)
        return 10
      } finally {
        running--
      }
    },
    upload: () => Promise.resolve(0),
    mkdir: () => Promise.resolve(),
  }
  return client
}

describe('downloadDir window', () => {
  it('keeps up to 8 files under way and counts every one', async () => {
    const client = slowClient(30)
    const result = await downloadDirectory(client, 'dir', directory)
    expect(result).toMatchObject({ files: 30, bytes: 300 })
    expect(client.most).toBe(8)
  })

  it('throws the first failure after the transfers under way ended, and starts no new one', async () => {
    const client = slowClient(30, 5)
    await expect(downloadDirectory(client, 'dir', directory)).rejects.toThrow('cannot read dir/f5')
    expect(client.started.length).toBeLessThan(30)
    expect(client.started.length).toBeGreaterThan(5)
  })
})
