import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConnectionError, connectSocket, type ConnectFunction } from '@netc/transport'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import type { FtpServerFaults } from '../testing/ftp-test-server-options.ts'
import { FtpClient } from './ftp-client.ts'
import { FtpReplyError } from '../ftp-reply-error.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-pipelining-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

/** A connect seam that records each write on the control connection and can refuse data connections. */
function recordingSeam(): { connect: ConnectFunction; writes: string[]; refuseData: boolean } {
  const seam = {
    writes: [] as string[],
    refuseData: false,
    connect: (async (options) => {
      if (seam.writes.length > 0 && seam.refuseData) throw new ConnectionError('connection refused (test)')
      const socket = await connectSocket(options)
      if (seam.writes.length === 0) {
        seam.writes.push('')
        const write = socket.write.bind(socket) as (...args: unknown[]) => boolean
        socket.write = ((...args: unknown[]) => {
          seam.writes.push(Buffer.from(args[0] as Uint8Array).toString('latin1'))
          return write(...args)
        }) as typeof socket.write
      }
      return socket
    }) as ConnectFunction,
  }
  return seam
}

const files = { 'a.txt': 'alpha', 'b.txt': 'bravo', 'c.txt': 'charlie' }

describe('EPSV pipelining', () => {
  it('sends EPSV alone until it has worked, then EPSV and the transfer command in one write', async () => {
    await using server = await FtpTestServer.start({ files })
    const seam = recordingSeam()
    await using ftp = await FtpClient.connect(server.url(), { connect: seam.connect, pipelining: true })
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await ftp.download(name, join(directory, name))
    expect(await readFile(join(directory, 'c.txt'), 'utf8')).toBe('charlie')
    const transfers = seam.writes.filter((write) => write.startsWith('EPSV'))
    expect(transfers).toEqual(['EPSV\r\n', 'EPSV\r\nRETR b.txt\r\n', 'EPSV\r\nRETR c.txt\r\n'])
    expect(server.errors).toEqual([])
  })

  it('sends one command at a time by default (FTP servers do not advertise pipelining)', async () => {
    await using server = await FtpTestServer.start({ files })
    const seam = recordingSeam()
    await using ftp = await FtpClient.connect(server.url(), { connect: seam.connect })
    for (const name of ['a.txt', 'b.txt']) await ftp.download(name, join(directory, name))
    expect(seam.writes.filter((write) => write.startsWith('EPSV'))).toEqual(['EPSV\r\n', 'EPSV\r\n'])
  })

  it('reports a refused pipelined RETR as FtpReplyError and stays usable, leaving no file', async () => {
    await using server = await FtpTestServer.start({ files })
    await using ftp = await FtpClient.connect(server.url(), { pipelining: true })
    await ftp.download('a.txt', join(directory, 'a.txt'))
    const error = await ftp.download('missing.txt', join(directory, 'missing.txt')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FtpReplyError)
    expect((error as FtpReplyError).replyCode).toBe(550)
    expect(await ftp.download('b.txt', join(directory, 'b.txt'))).toBe(5)
    expect((await readdir(directory)).sort()).toEqual(['a.txt', 'b.txt'])
  })

  it('falls back to PASV when EPSV stops working after it was pipelined, in step', async () => {
    const faults: FtpServerFaults = {}
    await using server = await FtpTestServer.start({ files, faults })
    const seam = recordingSeam()
    await using ftp = await FtpClient.connect(server.url(), { connect: seam.connect, pipelining: true })
    await ftp.download('a.txt', join(directory, 'a.txt'))
    faults.refuseEpsv = true
    expect(await ftp.download('b.txt', join(directory, 'b.txt'))).toBe(5)
    expect(await ftp.download('c.txt', join(directory, 'c.txt'))).toBe(7)
    const from = seam.writes.indexOf('EPSV\r\nRETR b.txt\r\n')
    expect(seam.writes.slice(from)).toEqual(['EPSV\r\nRETR b.txt\r\n', 'PASV\r\n', 'RETR b.txt\r\n', 'PASV\r\n', 'RETR c.txt\r\n'])
    expect(await ftp.pwd()).toBe('/')
  })

  it('reads the refusal of a pipelined command whose data connection was refused (ProFTPD), and stays usable', async () => {
    await using server = await FtpTestServer.start({ files })
    const seam = recordingSeam()
    await using ftp = await FtpClient.connect(server.url(), { connect: seam.connect, pipelining: true })
    await ftp.download('a.txt', join(directory, 'a.txt'))
    seam.refuseData = true
    const error = await ftp.download('missing.txt', join(directory, 'missing.txt')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FtpReplyError)
    expect((error as FtpReplyError).replyCode).toBe(550)
    seam.refuseData = false
    expect(await ftp.download('b.txt', join(directory, 'b.txt'))).toBe(5)
    expect((await readdir(directory)).sort()).toEqual(['a.txt', 'b.txt'])
  })

  it('closes the control connection when the data connection fails and the server still waits for it', async () => {
    await using server = await FtpTestServer.start({ files })
    const seam = recordingSeam()
    const ftp = await FtpClient.connect(server.url(), { connect: seam.connect, pipelining: true, timeouts: { connect: 200 } })
    await ftp.download('a.txt', join(directory, 'a.txt'))
    seam.refuseData = true
    const error = await ftp.download('b.txt', join(directory, 'b.txt')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as Error).message).toMatch(/RETR b\.txt failed: connection refused \(test\)/)
    expect(ftp.state).toBe('closed')
    expect(await readdir(directory)).toEqual(['a.txt'])
  })
})
