import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable, Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import { FtpClient } from './ftp-client.ts'
import type { TransferProgress } from './progress.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-transfer-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const big = randomBytes(3 * 1024 * 1024 + 17)

function collect(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk)
      callback()
    },
  })
  return { stream, bytes: () => Buffer.concat(chunks) }
}

describe.each([
  ['plain, passive', { tls: 'none' as const }, {}],
  ['plain, active', { tls: 'none' as const }, { passive: false }],
  ['explicit TLS with session reuse required, passive', { tls: 'explicit' as const, requireSessionReuse: true, requireTls: true }, { secure: 'explicit' as const }],
  ['explicit TLS with session reuse required, active', { tls: 'explicit' as const, requireSessionReuse: true, requireTls: true }, { secure: 'explicit' as const, passive: false }],
  ['implicit TLS', { tls: 'implicit' as const, requireSessionReuse: true }, {}],
])('transfers: %s', (_, serverOptions, clientOptions) => {
  it('downloads to a path and a Writable, uploads a path, a Buffer and a Readable, appends, lists', async () => {
    await using server = await FtpTestServer.start({ users: { dave: 'pw' }, files: { 'big.bin': big }, ...serverOptions })
    await using ftp = await FtpClient.connect(server.url({ user: 'dave', pass: 'pw' }), { ...clientOptions, tls: { ca: server.ca } })
    const target = join(directory, 'big.bin')
    expect(await ftp.download('big.bin', target)).toBe(big.length)
    expect((await readFile(target)).equals(big)).toBe(true)
    const sink = collect()
    await ftp.download('big.bin', sink.stream)
    expect(sink.bytes().equals(big)).toBe(true)
    expect(await ftp.upload(target, 'copy.bin')).toBe(big.length)
    expect(server.file('copy.bin')?.equals(big)).toBe(true)
    await ftp.upload(Buffer.from('buffer'), 'b.txt')
    await ftp.append(Readable.from([Buffer.from(' + stream')]), 'b.txt')
    expect(server.file('b.txt')?.toString()).toBe('buffer + stream')
    expect((await ftp.list()).map((e) => e.name)).toEqual(['b.txt', 'big.bin', 'copy.bin'])
    expect(server.errors).toEqual([])
    expect(await readdir(directory)).toEqual(['big.bin'])
  })
})

describe('transfer features', () => {
  it('createReadStream streams a remote file', async () => {
    await using server = await FtpTestServer.start({ files: { 'big.bin': big } })
    await using ftp = await FtpClient.connect(server.url())
    const chunks: Buffer[] = []
    for await (const chunk of ftp.createReadStream('big.bin')) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).equals(big)).toBe(true)
    expect(await ftp.pwd()).toBe('/')
  })

  it('resumes a download (REST) and an upload (SIZE, REST + STOR)', async () => {
    await using server = await FtpTestServer.start({ files: { 'big.bin': big } })
    await using ftp = await FtpClient.connect(server.url())
    const target = join(directory, 'big.bin')
    await writeFile(target, big.subarray(0, 1000))
    expect(await ftp.download('big.bin', target, { resume: true })).toBe(big.length - 1000)
    expect((await readFile(target)).equals(big)).toBe(true)
    expect(server.commands).toContain('REST 1000')
    server.files.writeFile('/half.bin', big.subarray(0, 5000))
    expect(await ftp.upload(big, 'half.bin', { resume: true })).toBe(big.length - 5000)
    expect(server.file('half.bin')?.equals(big)).toBe(true)
    expect(server.commands).toEqual(expect.arrayContaining(['SIZE half.bin', 'REST 5000', 'STOR half.bin']))
  })

  it('ASCII mode converts line endings both ways (TYPE A)', async () => {
    await using server = await FtpTestServer.start({ files: { 'unix.txt': 'one\ntwo\n' } })
    await using ftp = await FtpClient.connect(server.url())
    const sink = collect()
    await ftp.download('unix.txt', sink.stream, { ascii: true })
    expect(sink.bytes().toString()).toBe('one\ntwo\n')
    await ftp.upload(Buffer.from('a\nb\r\nc'), 'up.txt', { ascii: true })
    expect(server.file('up.txt')?.toString()).toBe('a\nb\nc')
    expect(server.commands).toContain('TYPE A')
    await ftp.download('unix.txt', collect().stream)
    expect(server.commands.filter((c) => c === 'TYPE I')).toHaveLength(2)
  })

  it('reports progress with bytes, total, rate and a final ETA of 0', async () => {
    await using server = await FtpTestServer.start({ files: { 'big.bin': big } })
    await using ftp = await FtpClient.connect(server.url())
    const reports: TransferProgress[] = []
    await ftp.download('big.bin', new PassThrough().resume(), { onProgress: (p) => reports.push(p) })
    const last = reports.at(-1)
    expect(last).toMatchObject({ bytes: big.length, totalBytes: big.length, done: true, eta: 0 })
    expect(last?.rate).toBeGreaterThan(0)
  })

  it('falls back from EPSV to PASV once, and remembers it', async () => {
    await using server = await FtpTestServer.start({ files: { 'a.txt': 'a' }, faults: { refuseEpsv: true } })
    await using ftp = await FtpClient.connect(server.url())
    await ftp.download('a.txt', collect().stream)
    await ftp.download('a.txt', collect().stream)
    expect(server.commands.filter((c) => c === 'EPSV' || c === 'PASV')).toEqual(['EPSV', 'PASV', 'PASV'])
  })
})
