import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ftpWelcome, makeCertificates, startVsftpd } from '../src/index.ts'
import type { FtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'
import { curl, scratch } from './run-client.ts'

let ftp: FtpDaemon
let files: Awaited<ReturnType<typeof scratch>>

daemonHooks(startVsftpd, (daemon) => {
  ftp = daemon
})

beforeAll(async () => {
  files = await scratch()
})

afterAll(async () => {
  await files?.remove()
})

const user = (): { user: string; pass: string } => ftp.users[0]!
const url = (path = '/', scheme = 'ftp', port = ftp.port): string =>
  `${scheme}://${user().user}:${user().pass}@127.0.0.1:${port}${path}`

describe('vsftpd, plain', () => {
  it('greets, logs in and lists the user root (passive)', async () => {
    const result = await curl([url()])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout.toString()).toMatch(/ welcome\.txt\r?\n/)
  })

  it('downloads a file byte for byte, passive and active', async () => {
    const passive = await curl([url(`/${ftpWelcome.name}`)])
    expect(passive.stdout.toString()).toBe(ftpWelcome.content)
    const active = await curl(['--ftp-port', '127.0.0.1', url(`/${ftpWelcome.name}`)])
    expect(active.code).toBe(0)
    expect(active.stdout.toString()).toBe(ftpWelcome.content)
  })

  it('lets anonymous list and download, read-only', async () => {
    const list = await curl([`ftp://127.0.0.1:${ftp.port}/`])
    expect(list.code).toBe(0)
    expect(list.stdout.toString()).toMatch(/ pub\r?\n/)
    const upload = await curl(['-T', await files.file('anonymous.txt', 'no'), `ftp://127.0.0.1:${ftp.port}/anonymous.txt`])
    expect(upload.code).not.toBe(0)
  })

  it('refuses a wrong password', async () => {
    const result = await curl([`ftp://${user().user}:wrong@127.0.0.1:${ftp.port}/`])
    expect(result.code).toBe(67) // CURLE_LOGIN_DENIED
  })
})

describe('vsftpd, explicit TLS (AUTH TLS, require_ssl_reuse=YES)', () => {
  it('downloads over TLS, verified against the harness CA', async () => {
    const result = await curl(['--ssl-reqd', '--cacert', ftp.caFile, url(`/${ftpWelcome.name}`)])
    expect(result.stderr).toBe('')
    expect(result.stdout.toString()).toBe(ftpWelcome.content)
  })

  it('uploads over TLS into the user root', async () => {
    const content = randomBytes(256 * 1024)
    const source = await files.file('upload.bin', content)
    // TLS 1.2: curl 7.88 resets TLS 1.3 upload data connections about every second time, and vsftpd answers
    // 426 (curl/curl#13556, fixed in curl 8.9). The harness keeps TLS 1.3 on for netc's own client.
    const result = await curl(['--tls-max', '1.2', '--ssl-reqd', '--cacert', ftp.caFile, '-T', source, url('/upload.bin')])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect((await readFile(join(ftp.roots[user().user]!, 'upload.bin'))).equals(content)).toBe(true)
  })

  it('fails verification against another CA (verification stays on)', async () => {
    const other = await makeCertificates(files.path)
    const result = await curl(['--ssl-reqd', '--cacert', other.caFile, url(`/${ftpWelcome.name}`)])
    expect(result.code).toBe(60) // CURLE_PEER_FAILED_VERIFICATION
  })

  it('refuses a data connection without TLS session reuse (curl --no-sessionid): 522', async () => {
    const result = await curl(['--no-sessionid', '--ssl-reqd', '--cacert', ftp.caFile, url(`/${ftpWelcome.name}`)])
    expect(result.code).not.toBe(0)
    expect(result.stdout.toString()).not.toBe(ftpWelcome.content)
    // curl gives up on the data connection before it reads the 522 reply; vsftpd's protocol log has it.
    const log = await readFile(join(ftp.directory, 'vsftpd.log'), 'utf8')
    expect(log).toMatch(/"522 SSL connection failed: session reuse required"/)
  })
})

describe('vsftpd, implicit TLS (second instance)', () => {
  it('lists and downloads over ftps://', async () => {
    expect(ftp.tlsPort).toBeTypeOf('number')
    const list = await curl(['--cacert', ftp.caFile, url('/', 'ftps', ftp.tlsPort)])
    expect(list.stderr).toBe('')
    expect(list.stdout.toString()).toMatch(/ welcome\.txt\r?\n/)
    const download = await curl(['--cacert', ftp.caFile, url(`/${ftpWelcome.name}`, 'ftps', ftp.tlsPort)])
    expect(download.stdout.toString()).toBe(ftpWelcome.content)
  })
})
