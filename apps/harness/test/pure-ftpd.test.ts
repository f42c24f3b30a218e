import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ftpWelcome, startPureFtpd } from '../src/index.ts'
import type { FtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'
import { curl, scratch } from './run-client.ts'

let ftp: FtpDaemon
let files: Awaited<ReturnType<typeof scratch>>

daemonHooks(startPureFtpd, (daemon) => {
  ftp = daemon
})

beforeAll(async () => {
  files = await scratch()
})

afterAll(async () => {
  await files?.remove()
})

const url = (path = '/', index = 0): string => {
  const { user, pass } = ftp.users[index]!
  return `ftp://${user}:${pass}@127.0.0.1:${ftp.port}${path}`
}

describe('pure-ftpd (second FTP server)', () => {
  it('greets, logs in and lists with LIST and MLSD', async () => {
    const list = await curl([url()])
    expect(list.stderr).toBe('')
    expect(list.stdout.toString()).toMatch(/ welcome\.txt\r?\n/)
    const mlsd = await curl(['--request', 'MLSD', url()])
    expect(mlsd.code).toBe(0)
    expect(mlsd.stdout.toString()).toMatch(/^type=file;size=43;.*; welcome\.txt\r?$/m)
  })

  it('downloads byte for byte, passive and active, as either user', async () => {
    expect((await curl([url(`/${ftpWelcome.name}`, 1)])).stdout.toString()).toBe(ftpWelcome.content)
    const active = await curl(['--ftp-port', '127.0.0.1', url(`/${ftpWelcome.name}`)])
    expect(active.code).toBe(0)
    expect(active.stdout.toString()).toBe(ftpWelcome.content)
  })

  it('downloads and uploads over explicit TLS, verified against the harness CA', async () => {
    const download = await curl(['--ssl-reqd', '--cacert', ftp.caFile, url(`/${ftpWelcome.name}`)])
    expect(download.stderr).toBe('')
    expect(download.stdout.toString()).toBe(ftpWelcome.content)
    const content = randomBytes(100 * 1024)
    const upload = await curl(['--ssl-reqd', '--cacert', ftp.caFile, '-T', await files.file('up.bin', content), url('/up.bin')])
    expect(upload.stderr).toBe('')
    expect((await readFile(join(ftp.roots[ftp.users[0]!.user]!, 'up.bin'))).equals(content)).toBe(true)
  })

  it('refuses a wrong password (after pure-ftpd\'s own delay of a few seconds)', async () => {
    expect((await curl([`ftp://${ftp.users[0]!.user}:wrong@127.0.0.1:${ftp.port}/`])).code).toBe(67)
  })
})
