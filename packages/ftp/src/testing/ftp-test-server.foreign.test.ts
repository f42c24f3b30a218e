import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpTestServer } from './ftp-test-server.ts'

/** Runs a foreign client (curl, python3) with a timeout; resolves with its stdout. */
function run(file: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 15_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} failed: ${error.message}\n${stderr}`))
      else resolve(stdout)
    })
    if (input !== undefined) child.stdin?.end(input)
  })
}

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-foreign-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

const files = { 'dave/dave.txt': 'hello dave\n', 'readme.txt': 'read me' }
const users = { dave: 's3cret' }

describe('curl against FtpTestServer', () => {
  it('lists, downloads and uploads in plaintext (EPSV)', async () => {
    await using server = await FtpTestServer.start({ users, files })
    const base = server.url({ user: 'dave', pass: 's3cret' })
    expect(await run('curl', ['-sS', `${base}/`])).toMatch(/^drwxr-xr-x .* dave\r?\n-rw-r--r-- .* 7 .* readme\.txt\r?\n$/)
    expect(await run('curl', ['-sS', `${base}/dave/dave.txt`])).toBe('hello dave\n')
    const local = join(directory, 'up.bin')
    await writeFile(local, Buffer.alloc(200_000, 7))
    await run('curl', ['-sS', '-T', local, `${base}/dave/up.bin`])
    expect(server.file('dave/up.bin')?.equals(Buffer.alloc(200_000, 7))).toBe(true)
    expect(server.errors).toEqual([])
  })

  it('works in active mode (EPRT)', async () => {
    await using server = await FtpTestServer.start({ files })
    expect(await run('curl', ['-sS', '-P', '-', `${server.url()}/readme.txt`])).toBe('read me')
    expect(server.commands.some((line) => line.startsWith('EPRT |1|127.0.0.1|'))).toBe(true)
  })

  it('explicit FTPS with --ssl-reqd --cacert, the server demanding session reuse', async () => {
    await using server = await FtpTestServer.start({ users, files, tls: 'explicit', requireSessionReuse: true, requireTls: true })
    const ca = join(directory, 'ca.pem')
    await writeFile(ca, server.ca)
    const base = server.url({ user: 'dave', pass: 's3cret' })
    expect(await run('curl', ['-sS', '--ssl-reqd', '--cacert', ca, `${base}/dave/dave.txt`])).toBe('hello dave\n')
    const local = join(directory, 'up.txt')
    await writeFile(local, 'uploaded over TLS')
    await run('curl', ['-sS', '--ssl-reqd', '--cacert', ca, '-T', local, `${base}/up.txt`])
    expect(server.file('up.txt')?.toString()).toBe('uploaded over TLS')
    expect(server.commands).toContain('PROT P')
  })

  it('implicit FTPS (ftps://) with --cacert', async () => {
    await using server = await FtpTestServer.start({ users, files, tls: 'implicit', requireSessionReuse: true })
    const ca = join(directory, 'ca.pem')
    await writeFile(ca, server.ca)
    const url = server.url({ user: 'dave', pass: 's3cret', path: '/readme.txt' })
    expect(url.startsWith('ftps://')).toBe(true)
    expect(await run('curl', ['-sS', '--cacert', ca, url])).toBe('read me')
  })
})

const pythonScript = `
import ftplib, ssl, sys, io, json
port, mode, ca, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], {}
tls = mode in ('tls', 'ccc')
if tls:
    context = ssl.create_default_context(cafile=ca)
    # ftplib's conn.unwrap() fails with SHUTDOWN_WHILE_IN_INIT against a Node TLS 1.3 server: TLS 1.2 here
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    ftp = ftplib.FTP_TLS(context=context, timeout=10)
else:
    ftp = ftplib.FTP(timeout=10)
ftp.connect('127.0.0.1', port)
ftp.login('dave', 's3cret')
if tls:
    ftp.prot_p()
if mode == 'ccc':
    # RFC 4217 section 6: the control connection goes back to plaintext, data stays TLS (PROT P).
    out['ccc'] = ftp.ccc()
    out['clear'] = ftp.sock.version() is None  # unwrap() leaves an SSLSocket without TLS
out['pwd'] = ftp.pwd()
ftp.cwd('dave')
out['nlst'] = ftp.nlst()
lines = []
ftp.retrlines('LIST', lines.append)
out['list'] = lines
out['mlsd'] = [name for name, facts in ftp.mlsd()]
chunks = []
ftp.retrbinary('RETR dave.txt', chunks.append)
out['retr'] = b''.join(chunks).decode()
ftp.storbinary('STOR up.bin', io.BytesIO(b'x' * 100000))
out['size'] = ftp.size('up.bin')
ftp.rename('up.bin', 'moved.bin')
ftp.delete('moved.bin')
ftp.mkd('sub')
ftp.rmd('sub')
out['sendcmd'] = ftp.sendcmd('NOOP')
ftp.quit()
print(json.dumps(out))
`

describe("Python's ftplib against FtpTestServer", () => {
  it.each([
    ['FTP', 'plain'],
    ['FTP_TLS with a context holding the CA, prot_p', 'tls'],
    ['FTP_TLS, prot_p, then ccc(): the control connection in clear, data still TLS', 'ccc'],
  ])('%s', async (_, mode) => {
    // ftplib does not resume the TLS session on data connections, so this server does not demand it.
    await using server = await FtpTestServer.start({ users, files, tls: mode === 'plain' ? 'none' : 'explicit', requireTls: mode === 'ccc' })
    const ca = join(directory, 'ca.pem')
    await writeFile(ca, mode === 'plain' ? '' : server.ca)
    const out = JSON.parse(await run('python3', ['-c', pythonScript, String(server.port), mode, ca])) as Record<string, unknown>
    expect(out).toMatchObject({ pwd: '/', nlst: ['dave.txt'], mlsd: ['.', 'dave.txt'], retr: 'hello dave\n', size: 100000, sendcmd: '200 NOOP ok.' })
    expect(out['list']).toEqual([expect.stringMatching(/^-rw-r--r-- .* 11 .* dave\.txt$/)])
    expect(server.file('dave/moved.bin')).toBeUndefined()
    expect(server.errors).toEqual([])
    if (mode !== 'plain') expect(server.commands.slice(0, 2)).toEqual(['AUTH TLS', 'USER dave'])
    if (mode === 'ccc') {
      expect(out).toMatchObject({ ccc: '200 Clearing control channel protection.', clear: true })
      expect(server.commands.slice(2, 6)).toEqual(['PASS ****', 'PBSZ 0', 'PROT P', 'CCC'])
    }
  })
})

describe('session reuse is enforced', () => {
  it('curl --no-sessionid is refused with 522, as vsftpd refuses it', async () => {
    await using server = await FtpTestServer.start({ users, files, tls: 'explicit', requireSessionReuse: true })
    const ca = join(directory, 'ca.pem')
    await writeFile(ca, server.ca)
    const url = server.url({ user: 'dave', pass: 's3cret', path: '/readme.txt' })
    await expect(run('curl', ['-sS', '--ssl-reqd', '--no-sessionid', '--cacert', ca, url])).rejects.toThrow(/522|failed/)
    void readFile
  })
})
