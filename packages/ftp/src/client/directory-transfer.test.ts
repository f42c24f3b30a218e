import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProtocolError } from '@netc/transport'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import { assertLocalName } from './directory-transfer.ts'
import { FtpClient } from './ftp-client.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-dir-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

describe('assertLocalName', () => {
  it.each(['a.txt', 'with space', '..hidden', 'a..b'])('accepts %j', (name) => {
    expect(assertLocalName(name, '/target')).toBe(`/target/${name}`)
  })

  it.each(['..', '.', '', '../evil', 'a/b', '/etc/passwd', '..\\evil', 'C:evil', 'c:\\windows', 'nul\0byte'])('refuses %j', (name) => {
    expect(() => assertLocalName(name, '/target')).toThrow(ProtocolError)
  })
})

describe('uploadDir / downloadDir', () => {
  it.each([
    ['MLSD', true],
    ['LIST', false],
  ])('round-trips a tree (%s), skipping symlinks', async (_, mlsd) => {
    const source = join(directory, 'source')
    await mkdir(join(source, 'sub', 'deeper'), { recursive: true })
    await writeFile(join(source, 'top.txt'), 'top')
    await writeFile(join(source, 'with space.txt'), 'space')
    await writeFile(join(source, 'sub', 'deeper', 'deep.bin'), Buffer.alloc(100_000, 3))
    await symlink(join(source, 'top.txt'), join(source, 'link'))
    await using server = await FtpTestServer.start({ mlsd })
    await using ftp = await FtpClient.connect(server.url())
    const up = await ftp.uploadDir(source, 'remote/tree')
    expect(up).toMatchObject({ files: 3, bytes: 100_008 })
    expect(up.skipped).toEqual([join(source, 'link')])
    const copy = join(directory, 'copy')
    expect(await ftp.downloadDir('remote/tree', copy)).toEqual({ files: 3, bytes: 100_008, skipped: [] })
    expect((await readdir(copy, { recursive: true })).sort()).toEqual(['sub', 'sub/deeper', 'sub/deeper/deep.bin', 'top.txt', 'with space.txt'])
    expect(await readFile(join(copy, 'with space.txt'), 'utf8')).toBe('space')
  })

  it('refuses server names that would escape the target, writing nothing outside it', async () => {
    await using server = await FtpTestServer.start({ files: { 'dir/..\\evil.txt': 'x', 'dir/C:evil': 'y' }, mlsd: false })
    await using ftp = await FtpClient.connect(server.url())
    const target = join(directory, 'target')
    await expect(ftp.downloadDir('dir', target)).rejects.toSatisfy((error) => ProtocolError.isInstance(error) && /escape/.test(error.message))
    expect(await readdir(directory)).toEqual(['target'])
    expect(await readdir(target)).toEqual([])
    expect(await ftp.pwd()).toBe('/')
  })
})
