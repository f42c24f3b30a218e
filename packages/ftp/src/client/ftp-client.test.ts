import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConnectionError, InvalidStateError } from '@netc/transport'
import { startScriptedServer } from '@netc/transport/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpReplyError } from '../ftp-reply-error.ts'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import { FtpClient } from './ftp-client.ts'

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-client-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const files = { 'dave/dave.txt': 'hello dave\n', 'readme.txt': 'read me', 'pub/a b.txt': 'spaces' }

describe('the seed scenario', () => {
  it('connects anonymously, cds, lists, makes a directory and downloads a file', async () => {
    await using server = await FtpTestServer.start({ files })
    await using ftp = await FtpClient.connect(server.url())
    await ftp.cd('dave')
    expect((await ftp.list()).map((e) => [e.type, e.name, e.size])).toEqual([['file', 'dave.txt', 11]])
    await ftp.mkdir('new')
    const target = join(directory, 'dave.txt')
    expect(await ftp.download('dave.txt', target)).toBe(11)
    expect(await readFile(target, 'utf8')).toBe('hello dave\n')
    expect(await readdir(directory)).toEqual(['dave.txt'])
    expect(server.files.stat('/dave/new')?.type).toBe('directory')
    expect(server.commands.slice(0, 6)).toEqual(['FEAT', 'USER anonymous', 'PASS ****', 'OPTS UTF8 ON', 'TYPE I', 'CWD dave'])
  })

  it('says clearly when it cannot reach the host', async () => {
    const server = await FtpTestServer.start()
    const url = server.url()
    await server.close()
    await expect(FtpClient.connect(url)).rejects.toSatisfy(
      (error) => ConnectionError.isInstance(error) && /^cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/.test(error.message),
    )
  })

  it('says clearly when it cannot log in', async () => {
    await using server = await FtpTestServer.start({ users: { dave: 'right' }, anonymous: false })
    const failure = FtpClient.connect(server.url({ user: 'dave', pass: 'wrong' }))
    await expect(failure).rejects.toThrow('cannot log in as dave: 530 Login incorrect.')
    await expect(failure).rejects.toSatisfy((error) => FtpReplyError.isInstance(error) && error.replyCode === 530)
  })

  it('says clearly when it cannot cd or read a file, and stays usable', async () => {
    await using server = await FtpTestServer.start({ files })
    await using ftp = await FtpClient.connect(server.url())
    await expect(ftp.cd('nope')).rejects.toThrow('CWD nope failed: 550 Failed to change directory.')
    const target = join(directory, 'missing.txt')
    await expect(ftp.download('missing.txt', target)).rejects.toSatisfy(
      (error) => FtpReplyError.isInstance(error) && error.message === 'RETR missing.txt failed: 550 Failed to open file.',
    )
    expect(await readdir(directory)).toEqual([])
    expect(await ftp.pwd()).toBe('/')
  })
})

describe('commands', () => {
  it('pwd, cd, cdup, nameList, size, lastModified, rename, remove, site, execute', async () => {
    await using server = await FtpTestServer.start({ users: { dave: 'pw' }, files })
    await using ftp = await FtpClient.connect(server.url({ user: 'dave', pass: 'pw' }))
    expect(await ftp.pwd()).toBe('/')
    await ftp.cd('pub')
    expect(await ftp.pwd()).toBe('/pub')
    await ftp.cdup()
    expect(await ftp.nameList()).toEqual(['dave', 'pub', 'readme.txt'])
    expect(await ftp.size('readme.txt')).toBe(7)
    expect(await ftp.lastModified('readme.txt')).toBeInstanceOf(Date)
    await ftp.rename('readme.txt', 'pub/moved.txt')
    expect(server.file('pub/moved.txt')?.toString()).toBe('read me')
    await ftp.remove('pub/moved.txt')
    expect(server.file('pub/moved.txt')).toBeUndefined()
    expect(await ftp.site('CHMOD 644 x')).toBe('SITE CHMOD command ok.')
    expect(await ftp.execute('NOOP')).toEqual({ code: 200, lines: ['NOOP ok.'] })
    await expect(ftp.execute('BOGUS')).rejects.toSatisfy((error) => FtpReplyError.isInstance(error) && error.replyCode === 500)
    expect(ftp.features.has('MLST')).toBe(true)
  })

  it('list uses MLSD when offered and parses LIST otherwise, spaces in names kept', async () => {
    for (const mlsd of [true, false]) {
      await using server = await FtpTestServer.start({ files, mlsd })
      await using ftp = await FtpClient.connect(server.url())
      const entries = await ftp.list('pub')
      expect(entries.map((e) => [e.type, e.name, e.size])).toEqual([['file', 'a b.txt', 6]])
      expect(server.commands).toContain(mlsd ? 'MLSD pub' : 'LIST pub')
    }
  })

  it('stat: MLST, or SIZE + MDTM / CWD without it', async () => {
    for (const mlsd of [true, false]) {
      await using server = await FtpTestServer.start({ files, mlsd })
      await using ftp = await FtpClient.connect(server.url())
      expect(await ftp.stat('readme.txt')).toMatchObject({ type: 'file', size: 7 })
      expect(await ftp.stat('dave')).toMatchObject({ type: 'directory' })
      await expect(ftp.stat('nothing')).rejects.toSatisfy((error) => FtpReplyError.isInstance(error))
      expect(await ftp.pwd()).toBe('/')
    }
  })

  it('mkdir and rmdir, recursive', async () => {
    await using server = await FtpTestServer.start({ files })
    await using ftp = await FtpClient.connect(server.url())
    await ftp.mkdir('a/b/c', { recursive: true })
    await ftp.mkdir('/a/b', { recursive: true }) // exists: no error
    expect(server.files.stat('/a/b/c')?.type).toBe('directory')
    await expect(ftp.mkdir('a')).rejects.toSatisfy((error) => FtpReplyError.isInstance(error) && error.replyCode === 550)
    await ftp.upload(Buffer.from('x'), 'a/b/c/file.txt')
    await ftp.rmdir('a', { recursive: true })
    expect(server.files.stat('/a')).toBeUndefined()
    expect(await ftp.pwd()).toBe('/')
  })

  it('queues concurrent calls in order instead of refusing them', async () => {
    await using server = await FtpTestServer.start({ files })
    await using ftp = await FtpClient.connect(server.url())
    const results = await Promise.all([ftp.list(), ftp.size('readme.txt'), ftp.download('dave/dave.txt', join(directory, 'd')), ftp.pwd()])
    expect(results.slice(1)).toEqual([7, 11, '/'])
  })

  it('closes with QUIT; later calls are refused with InvalidStateError', async () => {
    await using server = await FtpTestServer.start()
    const ftp = await FtpClient.connect(server.url())
    await ftp.close()
    expect(ftp.state).toBe('closed')
    expect(server.commands.at(-1)).toBe('QUIT')
    await expect(ftp.pwd()).rejects.toThrow(/closed/)
  })
})

describe('connection options', () => {
  it('takes the URL path as the starting directory, and options over the URL', async () => {
    await using server = await FtpTestServer.start({ users: { dave: 'pw' }, files })
    await using ftp = await FtpClient.connect(server.url({ path: '/pub' }), { user: 'dave', password: 'pw' })
    expect(await ftp.pwd()).toBe('/pub')
    expect(server.commands).toContain('USER dave')
  })

  it('refuses to send a password in cleartext to a host that is not loopback', async () => {
    await using server = await FtpTestServer.start({ users: { dave: 'pw' } })
    const connect = async () => (await import('@netc/transport')).connectSocket({ host: '127.0.0.1', port: server.port, timeout: 5000 })
    const attempt = FtpClient.connect({ host: 'ftp.example.com', port: 21, user: 'dave', password: 'pw', connect })
    await expect(attempt).rejects.toSatisfy((error) => InvalidStateError.isInstance(error) && /cleartext/.test(error.message))
    expect(server.commands).not.toContain('USER dave')
  })

  it('writes the exact login transcript (explicit TLS is not involved)', async () => {
    await using server = await startScriptedServer({
      script: [
        'S: 220 scripted',
        'C: FEAT',
        'S: 211-Features:',
        'S:  UTF8',
        'S:  EPSV',
        'S: 211 End',
        'C: USER anonymous',
        'S: 331 Please specify the password.',
        'C: PASS anonymous@',
        'S: 230 Login successful.',
        'C: OPTS UTF8 ON',
        'S: 200 Always in UTF8 mode.',
        'C: TYPE I',
        'S: 200 Switching to Binary mode.',
        'C: QUIT',
        'S: 221 Goodbye.',
      ],
    })
    const lines: string[] = []
    const ftp = await FtpClient.connect({ host: '127.0.0.1', port: server.port, debug: (line) => lines.push(line) })
    await ftp.close()
    await server.finished()
    server.assertCompleted()
    expect(lines).toContain('C: PASS ****')
    expect(lines.join('\n')).not.toContain('anonymous@')
  })
})
