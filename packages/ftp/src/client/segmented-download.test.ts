import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectSocket, InvalidArgumentError, type ConnectFunction } from '@netc/transport'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import { FtpClient } from './ftp-client.ts'
import type { TransferProgress } from './progress.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-segments-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const big = randomBytes(4 * 1024 * 1024 + 12345)

describe('download with segments', () => {
  it('fetches one file over 3 connections with REST ranges, byte-exact, progress summed', async () => {
    await using server = await FtpTestServer.start({ users: { dave: 'pw' }, files: { 'dave/big.bin': big } })
    await using ftp = await FtpClient.connect(server.url({ user: 'dave', pass: 'pw' }))
    await ftp.cd('dave')
    const progress: TransferProgress[] = []
    const target = join(directory, 'big.bin')
    expect(await ftp.download('big.bin', target, { segments: 3, onProgress: (p) => progress.push(p) })).toBe(big.length)
    expect((await readFile(target)).equals(big)).toBe(true)
    expect(await readdir(directory)).toEqual(['big.bin'])
    const third = Math.floor(big.length / 3)
    expect(server.commands.filter((line) => line.startsWith('REST'))).toEqual(expect.arrayContaining([`REST ${third}`, `REST ${2 * third}`]))
    expect(server.commands.filter((line) => line === 'USER dave')).toHaveLength(3)
    expect(server.commands.filter((line) => line === 'CWD /dave')).toHaveLength(2)
    expect(progress.at(-1)).toMatchObject({ bytes: big.length, totalBytes: big.length, done: true })
    expect(await ftp.pwd()).toBe('/dave')
    expect(server.errors).toEqual([])
  })

  it('falls back to one stream when REST is refused, or the file is small', async () => {
    await using server = await FtpTestServer.start({ files: { 'big.bin': big, 'small.bin': 'small' }, faults: { replies: { REST: '502 REST not implemented.' } } })
    await using ftp = await FtpClient.connect(server.url())
    expect(await ftp.download('big.bin', join(directory, 'big.bin'), { segments: 4 })).toBe(big.length)
    expect((await readFile(join(directory, 'big.bin'))).equals(big)).toBe(true)
    expect(await ftp.download('small.bin', join(directory, 'small.bin'), { segments: 4 })).toBe(5)
    expect(await readdir(directory)).toEqual(['big.bin', 'small.bin'])
    await expect(ftp.download('big.bin', join(directory, 'x'), { segments: 0 })).rejects.toSatisfy((error) => InvalidArgumentError.isInstance(error))
  })

  it('a segment whose data connection breaks fails the whole download: nothing left behind, the client usable', async () => {
    let dataConnections = 0
    let serverPort = 0
    const connect: ConnectFunction = async (options) => {
      const socket = await connectSocket(options)
      if (options.port !== serverPort && ++dataConnections === 2) socket.destroy() // broken as soon as it opens
      return socket
    }
    await using server = await FtpTestServer.start({ files: { 'big.bin': big } })
    serverPort = server.port
    await using ftp = await FtpClient.connect(server.url(), { connect })
    await expect(ftp.download('big.bin', join(directory, 'big.bin'), { segments: 3 })).rejects.toBeInstanceOf(Error)
    expect(await readdir(directory)).toEqual([])
    expect(await ftp.size('big.bin')).toBe(big.length)
    expect(await ftp.download('big.bin', join(directory, 'again.bin'))).toBe(big.length)
  })
})
