// netc smtp send against @netc/smtp's SmtpTestServer: flags, stdin, attachments, --message, --json, the
// terminal prompt on a pseudo-terminal, and the exit codes of refusals.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SmtpTestServer } from '@netc/smtp/testing'
import { closedPort } from './net-helpers.ts'
import { runCli, runCliInPty } from './run-cli.ts'

let server: SmtpTestServer
let local: string
let url: string

beforeAll(async () => {
  server = await SmtpTestServer.start({
    auth: { users: { dave: 'secret' } },
    reject: { recipients: (address) => (address.startsWith('nobody@') ? '550 5.1.1 no such user' : undefined) },
  })
  url = `smtp://127.0.0.1:${server.port}`
  local = await mkdtemp(join(tmpdir(), 'netc-cli-smtp-'))
  await writeFile(join(local, 'ca.pem'), server.ca)
})
afterAll(async () => {
  await server.close()
  await rm(local, { recursive: true, force: true })
})

const last = (): string => server.messages.at(-1)?.message.toString('utf8') ?? ''

describe('netc smtp send', () => {
  it('sends stdin as the text, with From, To and Subject, over STARTTLS with --ca', async () => {
    const run = await runCli(['smtp', 'send', url, '--ca', join(local, 'ca.pem'), '--from', 'dave@example.com', '--to', 'anna@example.com', 'bob@example.com', '--subject', 'Lunch at noon'], { input: 'Noon?\n' })
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toContain('accepted: anna@example.com, bob@example.com')
    const captured = server.messages.at(-1)
    expect(captured).toMatchObject({ secure: true, envelope: { from: 'dave@example.com', to: ['anna@example.com', 'bob@example.com'] } })
    expect(last()).toContain(`Subject: =?utf-8?B?${Buffer.from('Lunch at noon').toString('base64')}?=`) // mimetext encodes every subject
    expect(last()).toContain('Noon?')
  })

  it('logs in with the URL credentials, attaches files, and reports as JSON', async () => {
    await writeFile(join(local, 'minutes.txt'), 'the minutes\n')
    const run = await runCli(['smtp', 'send', `smtp://dave:secret@127.0.0.1:${server.port}`, '--tls', 'none', '--from', 'dave@example.com', '--to', 'anna@example.com', '--attach', join(local, 'minutes.txt'), '--json'], { input: 'See attached.\n' })
    expect(run.code).toBe(0)
    const result = JSON.parse(run.stdout) as { accepted: string[]; rejected: unknown[]; response: { code: number } }
    expect(result).toMatchObject({ accepted: ['anna@example.com'], rejected: [], response: { code: 250 } })
    expect(server.messages.at(-1)?.user).toBe('dave')
    expect(last()).toMatch(/filename="?minutes\.txt"?/)
  })

  it('--message sends a ready message as it is', async () => {
    const eml = 'From: dave@example.com\r\nTo: anna@example.com\r\nSubject: ready-made\r\n\r\nAs it is.\r\n'
    await writeFile(join(local, 'ready.eml'), eml)
    const run = await runCli(['smtp', 'send', url, '--tls', 'none', '--from', 'dave@example.com', '--to', 'anna@example.com', '--message', join(local, 'ready.eml')])
    expect(run.code).toBe(0)
    expect(last()).toBe(eml)
  })

  it('prompts From:, To: and the message on a terminal, as smtplib does', async () => {
    const before = server.messages.length
    const run = await runCliInPty(['smtp', 'send', url, '--tls', 'none'], [
      { expect: 'From: ', send: 'dave@example.com\r' },
      { expect: 'To: ', send: 'anna@example.com, bob@example.com\r' },
      { expect: 'end with ^D', send: 'Typed on a terminal.\r' },
      { expect: 'Typed on a terminal.', send: '\u0004' },
    ])
    expect(run.code, run.screen).toBe(0)
    expect(run.screen).toContain('accepted: anna@example.com, bob@example.com')
    expect(server.messages.length).toBe(before + 1)
    expect(server.messages.at(-1)?.envelope.to).toEqual(['anna@example.com', 'bob@example.com'])
    expect(last()).toContain('Typed on a terminal.')
  })

  it('exit codes: 1 a refused recipient, 4 a refused login, 3 a refused port or an untrusted certificate, 2 a missing --to', async () => {
    const refused = await runCli(['smtp', 'send', url, '--tls', 'none', '--from', 'dave@example.com', '--to', 'anna@example.com', 'nobody@example.com'], { input: 'hi\n' })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('rejected: nobody@example.com: 550 5.1.1 no such user')
    expect(refused.stderr).toMatch(/^netc: the server refused nobody@example\.com\n$/)
    const none = await runCli(['smtp', 'send', url, '--tls', 'none', '--from', 'dave@example.com', '--to', 'nobody@example.com'], { input: 'hi\n' })
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/^netc: cannot send the message: 550 /)
    const auth = await runCli(['smtp', 'send', `smtp://dave:wrong@127.0.0.1:${server.port}`, '--tls', 'none', '--from', 'a@example.com', '--to', 'b@example.com'], { input: 'hi\n' })
    expect(auth.code).toBe(4)
    expect(auth.stderr).toMatch(/^netc: cannot log in as dave at 127\.0\.0\.1:\d+: 535 /)
    const port = await closedPort()
    expect((await runCli(['smtp', 'send', `smtp://127.0.0.1:${port}`, '--from', 'a@example.com', '--to', 'b@example.com'], { input: 'hi\n' })).code).toBe(3)
    const untrusted = await runCli(['smtp', 'send', url, '--from', 'a@example.com', '--to', 'b@example.com'], { input: 'hi\n' })
    expect(untrusted.code).toBe(3)
    expect(untrusted.stderr).toMatch(/^netc: cannot reach 127\.0\.0\.1:\d+: .*certificate/)
    const insecure = await runCli(['smtp', 'send', url, '--insecure', '--from', 'a@example.com', '--to', 'b@example.com'], { input: 'hi\n' })
    expect(insecure.code).toBe(0)
    expect(insecure.stderr).toMatch(/^netc: warning: --insecure: the server certificate is not verified/)
    const usage = await runCli(['smtp', 'send', url, '--from', 'a@example.com'], { input: 'hi\n' })
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--to is required')
  })
})
