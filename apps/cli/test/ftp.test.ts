// netc ftp against @netc/ftp's FtpTestServer: every command, --json, every exit code, no partial file.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FtpTestServer } from '@netc/ftp/testing'
import { closedPort, silentServer } from './net-helpers.ts'
import { runCli, runCliInPty } from './run-cli.ts'

let server: FtpTestServer
let local: string
let url: string
const big = Buffer.alloc(256 * 1024, 'x')

beforeAll(async () => {
  server = await FtpTestServer.start({
    users: { dave: 'secret' },
    files: { 'dave/dave.txt': 'Hello from dave.\n', 'dave/big.bin': big, 'dave/old/inner.txt': 'old\n' },
  })
  url = `ftp://dave:secret@127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server.close()
})
beforeEach(async () => {
  local = await mkdtemp(join(tmpdir(), 'netc-cli-ftp-'))
  return () => rm(local, { recursive: true, force: true })
})

describe('netc ftp', () => {
  it('ls lists a directory as a table and as JSON', async () => {
    const table = await runCli(['ftp', 'ls', `${url}/dave`])
    expect(table).toMatchObject({ code: 0, stderr: '' })
    expect(table.stdout).toMatch(/^-\s+17\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+dave\.txt$/m)
    expect(table.stdout).toMatch(/^d\s.*\bold$/m)
    const json = await runCli(['ftp', 'ls', `${url}/dave`, '--json'])
    const entries = JSON.parse(json.stdout) as Array<{ name: string; type: string; size: number }>
    expect(entries).toContainEqual(expect.objectContaining({ name: 'dave.txt', type: 'file', size: 17 }))
    expect(entries).toContainEqual(expect.objectContaining({ name: 'old', type: 'directory' }))
  })

  it('get writes the remote name in the current directory, -o a chosen file, -o - stdout', async () => {
    expect(await runCli(['ftp', 'get', `${url}/dave/dave.txt`], { cwd: local })).toMatchObject({ code: 0, stdout: '', stderr: '' }) // no bar off a terminal
    expect(await readFile(join(local, 'dave.txt'), 'utf8')).toBe('Hello from dave.\n')
    const json = await runCli(['ftp', 'get', `${url}/dave/big.bin`, '-o', join(local, 'copy.bin'), '--json'])
    expect(JSON.parse(json.stdout)).toEqual({ remote: 'dave/big.bin', local: join(local, 'copy.bin'), bytes: big.length })
    expect((await readFile(join(local, 'copy.bin'))).equals(big)).toBe(true)
    const piped = await runCli(['ftp', 'get', `${url}/dave/dave.txt`, '-o', '-'])
    expect(piped).toMatchObject({ code: 0, stdout: 'Hello from dave.\n' })
  })

  it('get shows a progress bar on a terminal (and only there)', async () => {
    const run = await runCliInPty(['ftp', 'get', `${url}/dave/big.bin`, '-o', join(local, 'big.bin')], [])
    expect(run.code, run.screen).toBe(0)
    expect(run.screen).toMatch(/big\.bin \[[=-]+\] \d+% \| [\d.]+ kB\/262\.1 kB/)
    expect((await readFile(join(local, 'big.bin'))).equals(big)).toBe(true)
  })

  it('colours the error on a terminal, never with NO_COLOR', async () => {
    const coloured = await runCliInPty(['ftp', 'ls', `${url}/nowhere`], [], { env: { NO_COLOR: undefined } })
    expect(coloured.code).toBe(1)
    expect(coloured.screen).toContain('\u001b[31mnetc:\u001b[0m cannot cd to "nowhere"')
    const plain = await runCliInPty(['ftp', 'ls', `${url}/nowhere`], [], { env: { NO_COLOR: '1' } })
    expect(plain.screen).toMatch(/^netc: cannot cd to "nowhere"/m)
    expect(plain.screen).not.toContain('\u001b[')
  })

  it('a failed get names the file, exits 1 and leaves no file behind', async () => {
    const missing = await runCli(['ftp', 'get', `${url}/dave/nothing.txt`], { cwd: local })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^netc: cannot read file "nothing\.txt": 550 /)
    expect(missing.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(await readdir(local)).toEqual([])
  })

  it('a download that breaks halfway leaves no partial file, to a path or to stdout', async () => {
    const broken = await FtpTestServer.start({ files: { 'big.bin': big }, faults: { dropDataAfterBytes: 100_000 } })
    try {
      const run = await runCli(['ftp', 'get', `ftp://127.0.0.1:${broken.port}/big.bin`], { cwd: local })
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(/^netc: cannot read file "big\.bin": /)
      expect(await readdir(local)).toEqual([])
      const piped = await runCli(['ftp', 'get', `ftp://127.0.0.1:${broken.port}/big.bin`, '-o', '-'])
      expect(piped.code).toBe(1)
      expect(piped.stdout.length).toBeLessThan(big.length)
    } finally {
      await broken.close()
    }
  })

  it('cd to a missing directory names it', async () => {
    const run = await runCli(['ftp', 'ls', `${url}/nowhere`])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^netc: cannot cd to "nowhere": 550 /)
  })

  it('put, mkdir -r, mv, rm, rmdir -r change the server', async () => {
    await writeFile(join(local, 'up.txt'), 'uploaded\n')
    expect((await runCli(['ftp', 'mkdir', '-r', `${url}/dave/a/b/c`])).code).toBe(0)
    const put = await runCli(['ftp', 'put', join(local, 'up.txt'), `${url}/dave/a/b/`, '--json'])
    expect(JSON.parse(put.stdout)).toMatchObject({ remote: 'dave/a/b/up.txt', bytes: 9 })
    expect(server.file('/dave/a/b/up.txt')?.toString()).toBe('uploaded\n')
    expect((await runCli(['ftp', 'mv', `${url}/dave/a/b/up.txt`, 'dave/a/moved.txt'])).code).toBe(0)
    expect(server.file('/dave/a/moved.txt')?.toString()).toBe('uploaded\n')
    expect((await runCli(['ftp', 'rm', `${url}/dave/a/moved.txt`])).code).toBe(0)
    expect(server.file('/dave/a/moved.txt')).toBeUndefined()
    const plain = await runCli(['ftp', 'rmdir', `${url}/dave/a`])
    expect(plain.code).toBe(1)
    expect(plain.stderr).toMatch(/^netc: cannot remove directory "dave\/a": 550 /)
    expect((await runCli(['ftp', 'rmdir', '-r', `${url}/dave/a`, '--json'])).stdout).toContain('"ok": true')
    expect((await runCli(['ftp', 'ls', `${url}/dave/a`])).code).toBe(1)
  })

  it('--trace shows the dialogue on stderr with the password hidden', async () => {
    const run = await runCli(['ftp', 'ls', `${url}/dave`, '--trace'])
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('C: USER dave')
    expect(run.stderr).toContain('C: PASS ****')
    expect(run.stderr).not.toContain('secret')
  })

  it('credentials from --netrc-file and from --password-stdin', async () => {
    await writeFile(join(local, 'netrc'), 'machine 127.0.0.1 login dave password secret\n')
    const netrc = await runCli(['ftp', 'ls', `ftp://127.0.0.1:${server.port}/dave`, '--netrc-file', join(local, 'netrc')])
    expect(netrc).toMatchObject({ code: 0 })
    expect(netrc.stdout).toContain('dave.txt')
    const stdin = await runCli(['ftp', 'ls', `ftp://dave@127.0.0.1:${server.port}/dave`, '--password-stdin'], { input: 'secret\n' })
    expect(stdin.stdout).toContain('dave.txt')
  })

  it('exit codes: 4 bad password, 3 refused port, 5 stalled server, 2 usage', async () => {
    const auth = await runCli(['ftp', 'ls', `ftp://dave:wrong@127.0.0.1:${server.port}/`])
    expect(auth.code).toBe(4)
    expect(auth.stderr).toMatch(/^netc: cannot log in as dave at 127\.0\.0\.1:\d+: 530 /)
    const port = await closedPort()
    const refused = await runCli(['ftp', 'ls', `ftp://127.0.0.1:${port}/`])
    expect(refused.code).toBe(3)
    expect(refused.stderr).toMatch(/^netc: cannot reach 127\.0\.0\.1:\d+: .*ECONNREFUSED/)
    const stalled = await silentServer()
    try {
      const run = await runCli(['ftp', 'ls', `ftp://127.0.0.1:${(stalled.address() as { port: number }).port}/`, '--timeout', '300'])
      expect(run.code).toBe(5)
      expect(run.stderr).toMatch(/^netc: cannot reach 127\.0\.0\.1:\d+: .*greeting/i)
    } finally {
      stalled.close()
    }
    for (const args of [['ftp', 'ls'], ['ftp', 'ls', 'http://example.com/'], ['ftp', 'frobnicate'], ['ftp', 'ls', url, '--tls', 'maybe'], ['ftp', 'ls', url, '--timeout', 'soon']]) {
      const run = await runCli(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('--help of every ftp command shows an example', async () => {
    for (const name of ['ls', 'get', 'put', 'mkdir', 'rmdir', 'rm', 'mv']) {
      const run = await runCli(['ftp', name, '--help'])
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/Example:\n {2}netc ftp /)
    }
  })
})
