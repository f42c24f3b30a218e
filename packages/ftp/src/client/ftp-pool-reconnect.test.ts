import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { ConnectionError, connectSocket, type ConnectFunction } from '@netc/transport'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import { FtpPool } from './ftp-pool.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-pool-reconnect-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, `file ${i} `.repeat(500)]))
const logins = (server: FtpTestServer): number => server.commands.filter((line) => line === 'USER anonymous').length

/** A seam that kills the first control connection when the client sends `verb` on it. */
function killingOn(verb: string, serverPort: () => number): ConnectFunction {
  let armed = true
  return async (options) => {
    const socket: Duplex = await connectSocket(options)
    if (options.port !== serverPort() || !armed) return socket
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

describe('FtpPool reconnect policy', () => {
  it('replaces connections that the server closed while idle (421, then EOF)', async () => {
    await using server = await FtpTestServer.start({ files, faults: { closeIdleAfterMs: 150 } })
    await using pool = await FtpPool.connect(server.url(), { size: 2 })
    await Promise.all(['f0.txt', 'f1.txt'].map((name) => pool.download(name, join(directory, name))))
    await new Promise((resolve) => setTimeout(resolve, 400)) // both connections are closed by now
    const names = Object.keys(files)
    await Promise.all(names.map((name) => pool.download(name, join(directory, `again-${name}`))))
    for (const name of names) expect(await readFile(join(directory, `again-${name}`), 'utf8')).toBe(files[name])
    expect(logins(server)).toBeGreaterThan(2)
    expect(server.commands.filter((line) => line === 'RETR f0.txt')).toHaveLength(2)
  })

  it('runs a transfer again on a new connection when its connection died before the transfer began', async () => {
    let port = 0
    await using server = await FtpTestServer.start({ files })
    port = server.port
    await using pool = await FtpPool.connect(server.url(), { size: 1, connect: killingOn('EPSV', () => port) })
    expect(await pool.download('f2.txt', join(directory, 'f2.txt'))).toBe((files['f2.txt'] as string).length)
    expect(await readFile(join(directory, 'f2.txt'), 'utf8')).toBe(files['f2.txt'])
    expect(logins(server)).toBe(2)
  })

  it('reports a transfer that failed mid-way, leaving nothing behind, and does not run it again', async () => {
    await using server = await FtpTestServer.start({ files: { 'big.bin': Buffer.alloc(300_000, 1) }, faults: { dropDataAfterBytes: 100_000 } })
    await using pool = await FtpPool.connect(server.url(), { size: 2 })
    await expect(pool.download('big.bin', join(directory, 'big.bin'))).rejects.toBeInstanceOf(Error)
    expect(await readdir(directory)).toEqual([])
    expect(server.commands.filter((line) => line === 'RETR big.bin')).toHaveLength(1)
  })

  it('opens a replacement with bounded backoff while the server refuses, and gives up after the retries', async () => {
    await using server = await FtpTestServer.start({ files })
    let refusals = 0
    const refusing: ConnectFunction = async (options) => {
      if (refusals > 0 && options.port === server.port) {
        refusals--
        throw new ConnectionError(`cannot reach ${options.host}:${options.port}: ECONNREFUSED`)
      }
      return connectSocket(options)
    }
    await using pool = await FtpPool.connect(server.url(), { size: 1, connect: refusing, reconnect: { retries: 3, minDelay: 5, maxDelay: 20 } })
    await pool.run(async (client) => client.destroy())
    refusals = 2
    expect(await pool.download('f3.txt', join(directory, 'f3.txt'))).toBe((files['f3.txt'] as string).length)
    expect(refusals).toBe(0)
    await pool.run(async (client) => client.destroy())
    refusals = 10
    await expect(pool.download('f4.txt', join(directory, 'f4.txt'))).rejects.toSatisfy((error) => ConnectionError.isInstance(error))
    expect(refusals).toBe(6) // the first attempt and 3 retries
  })
})
