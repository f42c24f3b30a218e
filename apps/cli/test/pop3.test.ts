// netc pop3 against @netc/pop3's Pop3TestServer: ls (--headers, --json), get (-o, --delete), rm, exit codes.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Pop3TestServer } from '@netc/pop3/testing'
import { silentServer } from './net-helpers.ts'
import { runCli } from './run-cli.ts'

const message = (subject: string): string => `From: anna@example.com\r\nSubject: ${subject}\r\n\r\nBody of ${subject}.\r\n`
let server: Pop3TestServer
let url: string
let local: string

beforeEach(async () => {
  server = await Pop3TestServer.start({ starttls: false, mailbox: { user: 'dave', pass: 'secret', messages: [message('one'), message('two'), message('three')], uids: ['u1', 'u2', 'u3'] } })
  url = `pop3://dave:secret@127.0.0.1:${server.port}`
  return () => server.close()
})
beforeAll(async () => {
  local = await mkdtemp(join(tmpdir(), 'netc-cli-pop3-'))
})
afterAll(async () => {
  await rm(local, { recursive: true, force: true })
})

describe('netc pop3', () => {
  it('ls lists number, size and uid; --headers adds From and Subject; --json', async () => {
    const table = await runCli(['pop3', 'ls', url])
    expect(table.code).toBe(0)
    expect(table.stdout.trim().split('\n')).toEqual([
      `1  ${message('one').length}  u1`,
      `2  ${message('two').length}  u2`,
      `3  ${message('three').length}  u3`,
    ])
    const json = await runCli(['pop3', 'ls', url, '--headers', '--json'])
    expect(JSON.parse(json.stdout)).toEqual([
      { number: 1, size: message('one').length, uid: 'u1', from: 'anna@example.com', subject: 'one' },
      { number: 2, size: message('two').length, uid: 'u2', from: 'anna@example.com', subject: 'two' },
      { number: 3, size: message('three').length, uid: 'u3', from: 'anna@example.com', subject: 'three' },
    ])
  })

  it('get prints a message, -o writes it, --delete removes it at QUIT', async () => {
    const printed = await runCli(['pop3', 'get', `${url}/2`])
    expect(printed).toMatchObject({ code: 0, stdout: message('two') })
    const saved = await runCli(['pop3', 'get', `${url}/1`, '-o', join(local, 'one.eml'), '--delete', '--json'])
    expect(JSON.parse(saved.stdout)).toEqual({ number: 1, size: message('one').length, deleted: true, file: join(local, 'one.eml') })
    expect(await readFile(join(local, 'one.eml'), 'utf8')).toBe(message('one'))
    expect(server.messages('dave').map((kept) => kept.uid)).toEqual(['u2', 'u3'])
  })

  it('rm deletes several messages', async () => {
    const run = await runCli(['pop3', 'rm', `${url}/1`, '3'])
    expect(run).toMatchObject({ code: 0, stdout: 'deleted: 1 3\n' })
    expect(server.messages('dave').map((kept) => kept.uid)).toEqual(['u2'])
  })

  it('exit codes: 1 no such message (and no file), 4 bad password, 2 no number, 5 a stalled server', async () => {
    const missing = await runCli(['pop3', 'get', `${url}/9`, '-o', join(local, 'nine.eml')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/^netc: cannot retrieve message 9: -ERR /)
    expect(await readdir(local)).not.toContain('nine.eml')
    const auth = await runCli(['pop3', 'ls', `pop3://dave:wrong@127.0.0.1:${server.port}`])
    expect(auth.code).toBe(4)
    expect(auth.stderr).toMatch(/^netc: cannot log in as dave at 127\.0\.0\.1:\d+: -ERR/)
    expect((await runCli(['pop3', 'get', url])).code).toBe(2)
    expect((await runCli(['pop3', 'ls', `pop3://127.0.0.1:${server.port}`])).code).toBe(2)
    const stalled = await silentServer()
    try {
      const port = (stalled.address() as { port: number }).port
      const run = await runCli(['pop3', 'ls', `pop3://dave:secret@127.0.0.1:${port}`, '--timeout', '300'])
      expect(run.code).toBe(5)
    } finally {
      stalled.close()
    }
  })
})
