// The built `netc` CLI (apps/cli/dist/netc.js, built by `pnpm test:harness`) against the real daemons of the
// harness: vsftpd, postfix, dovecot and INN, each over its TLS upgrade with the harness CA (--ca).
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { daemonUrl, ftpWelcome, keepDomain, startDovecot, startInn, startPostfix, startVsftpd } from '../src/index.ts'
import type { Daemon, FtpDaemon, NntpDaemon, Pop3Daemon, SmtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'
import { runClient } from './run-client.ts'

const netcPath = fileURLToPath(new URL('../../cli/dist/netc.js', import.meta.url))

/** netc with the daemon's CA and TLS required (the upgrade: AUTH TLS, STARTTLS, STLS), 30 s at most. */
async function netc(daemon: Daemon, args: readonly string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = await runClient(process.execPath, [netcPath, ...args, '--tls', 'required', '--ca', daemon.caFile], input, 30_000)
  return { code: run.code, stdout: run.stdout.toString('utf8'), stderr: run.stderr }
}

let local: string
beforeAll(async () => {
  local = await mkdtemp(join(tmpdir(), 'netc-cli-harness-'))
})
afterAll(async () => {
  await rm(local, { recursive: true, force: true })
})

describe('netc ftp against vsftpd', () => {
  let vsftpd: FtpDaemon
  daemonHooks(() => startVsftpd({ implicitTls: false }), (daemon) => {
    vsftpd = daemon
  })
  const url = (path = ''): string => `${daemonUrl('ftp', vsftpd.host, vsftpd.port, vsftpd.users[0])}/${path}`

  it('ls, get, mkdir, put, mv, rm, rmdir', async () => {
    const listing = await netc(vsftpd, ['ftp', 'ls', url(), '--json'])
    expect(listing.code, listing.stderr).toBe(0)
    expect(JSON.parse(listing.stdout)).toContainEqual(expect.objectContaining({ name: ftpWelcome.name, type: 'file' }))
    expect((await netc(vsftpd, ['ftp', 'get', url(ftpWelcome.name), '-o', join(local, 'welcome.txt')])).code).toBe(0)
    expect(await readFile(join(local, 'welcome.txt'), 'utf8')).toBe(ftpWelcome.content)
    const dir = `cli-${randomUUID().slice(0, 8)}`
    expect((await netc(vsftpd, ['ftp', 'mkdir', '-r', url(`${dir}/sub`)])).code).toBe(0)
    await writeFile(join(local, 'up.txt'), 'uploaded by netc\n')
    expect((await netc(vsftpd, ['ftp', 'put', join(local, 'up.txt'), url(`${dir}/sub/`)])).code).toBe(0)
    expect(await readFile(join(vsftpd.roots[vsftpd.users[0]!.user]!, dir, 'sub', 'up.txt'), 'utf8')).toBe('uploaded by netc\n')
    expect((await netc(vsftpd, ['ftp', 'mv', url(`${dir}/sub/up.txt`), `${dir}/moved.txt`])).code).toBe(0)
    const moved = await netc(vsftpd, ['ftp', 'ls', url(dir)])
    expect(moved.stdout).toMatch(/moved\.txt$/m)
    expect((await netc(vsftpd, ['ftp', 'rm', url(`${dir}/moved.txt`)])).code).toBe(0)
    expect((await netc(vsftpd, ['ftp', 'rmdir', '-r', url(dir)])).code).toBe(0)
    const gone = await netc(vsftpd, ['ftp', 'ls', url(dir)])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toMatch(new RegExp(`^netc: cannot cd to "${dir}": 550 `))
  })

  it('a wrong password exits 4, a missing file exits 1 and leaves nothing', async () => {
    const auth = await netc(vsftpd, ['ftp', 'ls', `ftp://${vsftpd.users[0]!.user}:wrong@${vsftpd.host}:${vsftpd.port}/`])
    expect(auth.code).toBe(4)
    expect(auth.stderr).toMatch(/^netc: cannot log in as netcftp1 at 127\.0\.0\.1:\d+: 530 /)
    const missing = await netc(vsftpd, ['ftp', 'get', url('nothing.txt'), '-o', join(local, 'nothing.txt')])
    expect(missing.code).toBe(1)
    await expect(readFile(join(local, 'nothing.txt'))).rejects.toThrow(/ENOENT/)
  })
})

describe('netc smtp send against postfix', () => {
  let postfix: SmtpDaemon
  daemonHooks(startPostfix, (daemon) => {
    postfix = daemon
  })

  it('sends stdin over STARTTLS and postfix keeps it', async () => {
    const token = randomUUID()
    const run = await netc(postfix, ['smtp', 'send', `smtp://${postfix.host}:${postfix.port}`, '--from', 'sender@example.org', '--to', `cli@${keepDomain}`, '--subject', token, '--json'], `Sent by the netc CLI, ${token}.\n`)
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ accepted: [`cli@${keepDomain}`], rejected: [] })
    const deadline = Date.now() + 10_000
    let kept: string | undefined
    while (kept === undefined && Date.now() < deadline) {
      kept = (await postfix.received()).map(({ content }) => content.toString()).find((content) => content.includes(`Sent by the netc CLI, ${token}.`))
      if (kept === undefined) await sleep(100)
    }
    expect(kept).toContain('From: <sender@example.org>')
  })
})

describe('netc pop3 against dovecot', () => {
  let dovecot: Pop3Daemon
  const alice = { user: 'alice', pass: 'alice-pop3' }
  const message = (n: number): string => `From: netc@example.com\r\nSubject: message ${n}\r\n\r\nbody of ${n}\r\n`
  daemonHooks(
    async () => {
      const daemon = await startDovecot()
      await daemon.fillMailbox(alice.user, [message(1), message(2)])
      return daemon
    },
    (daemon) => {
      dovecot = daemon
    },
  )

  it('ls --headers --json and get over STLS', async () => {
    const url = daemonUrl('pop3', dovecot.host, dovecot.port, alice)
    const listing = await netc(dovecot, ['pop3', 'ls', url, '--headers', '--json'])
    expect(listing.code, listing.stderr).toBe(0)
    const rows = JSON.parse(listing.stdout) as Array<{ number: number; subject: string; uid: string | null }>
    expect(rows.map(({ number, subject }) => [number, subject])).toEqual([[1, 'message 1'], [2, 'message 2']])
    expect(rows.every((row) => typeof row.uid === 'string')).toBe(true)
    const got = await netc(dovecot, ['pop3', 'get', `${url}/2`])
    expect(got.code, got.stderr).toBe(0)
    expect(got.stdout).toBe(message(2))
    const auth = await netc(dovecot, ['pop3', 'ls', daemonUrl('pop3', dovecot.host, dovecot.port, { user: 'alice', pass: 'wrong' })])
    expect(auth.code).toBe(4)
  })

  it('get --delete and rm: the messages are gone in the next session', async () => {
    const url = daemonUrl('pop3', dovecot.host, dovecot.port, alice)
    await dovecot.fillMailbox(alice.user, [message(3), message(4)])
    const before = JSON.parse((await netc(dovecot, ['pop3', 'ls', url, '--headers', '--json'])).stdout) as Array<{ number: number; subject: string }>
    const third = before.find((row) => row.subject === 'message 3')
    const fourth = before.find((row) => row.subject === 'message 4')
    expect(third !== undefined && fourth !== undefined).toBe(true)
    // POP3 numbers hold for one session (RFC 1939 section 5): remove the later message first.
    const removed = await netc(dovecot, ['pop3', 'rm', `${url}/${fourth!.number}`])
    expect(removed.code, removed.stderr).toBe(0)
    const got = await netc(dovecot, ['pop3', 'get', `${url}/${third!.number}`, '--delete'])
    expect(got.code, got.stderr).toBe(0)
    expect(got.stdout).toBe(message(3))
    const after = JSON.parse((await netc(dovecot, ['pop3', 'ls', url, '--headers', '--json'])).stdout) as Array<{ subject: string }>
    expect(after.map((row) => row.subject)).toEqual(before.map((row) => row.subject).filter((subject) => subject !== 'message 3' && subject !== 'message 4'))
  })
})

describe('netc nntp against INN', () => {
  let inn: NntpDaemon
  daemonHooks(startInn, (daemon) => {
    inn = daemon
  })

  it('groups, post, ls, get by number and by message-id', async () => {
    const url = `nntp://${inn.host}:${inn.port}`
    const groups = await netc(inn, ['nntp', 'groups', url, 'netc.*', '--json'])
    expect(groups.code, groups.stderr).toBe(0)
    expect((JSON.parse(groups.stdout) as Array<{ name: string }>).map((group) => group.name)).toContain('netc.test')
    const token = randomUUID()
    const posted = await netc(inn, ['nntp', 'post', `${url}/netc.test`, '--from', 'netc@example.org', '--subject', `cli ${token}`, '--json'], `Posted by the netc CLI.\n`)
    expect(posted.code, posted.stderr).toBe(0)
    let entry: { number: number; subject: string; messageId: string } | undefined
    for (let attempt = 0; attempt < 50 && entry === undefined; attempt++) {
      const listing = await netc(inn, ['nntp', 'ls', `${url}/netc.test`, '--last', '20', '--json'])
      entry = (JSON.parse(listing.stdout) as Array<{ number: number; subject: string; messageId: string }>).find((row) => row.subject === `cli ${token}`)
      if (entry === undefined) await sleep(200)
    }
    expect(entry).toBeDefined()
    const byNumber = await netc(inn, ['nntp', 'get', `${url}/netc.test/${entry!.number}`])
    expect(byNumber.stdout).toContain('Posted by the netc CLI.')
    const byId = await netc(inn, ['nntp', 'get', `${url}/${entry!.messageId}`, '--json'])
    expect(JSON.parse(byId.stdout)).toMatchObject({ messageId: entry!.messageId })
  })
})
