import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { keepDomain, postfixMechanisms, startPostfix } from '../src/index.ts'
import type { SmtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'
import { curl } from './run-client.ts'

let smtp: SmtpDaemon

daemonHooks(startPostfix, (daemon) => {
  smtp = daemon
})

/** A message with a unique token in its subject and body; CRLF only (postfix rejects bare LF). */
function message(token: string, extra = ''): string {
  return `From: Sender <sender@example.org>\r\nTo: someone@${keepDomain}\r\nSubject: smoke ${token}\r\n\r\nBody ${token}${extra}\r\n`
}

/** Sends `body` with curl (reading it from stdin) and returns curl's result. */
function send(args: readonly string[], from: string, to: readonly string[], body: string): ReturnType<typeof curl> {
  return curl([...args, '--mail-from', from, ...to.flatMap((rcpt) => ['--mail-rcpt', rcpt]), '--upload-file', '-'], body)
}

/** The kept message whose content contains `token`. */
async function keptWith(token: string): Promise<string> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const found = (await smtp.received()).map(({ content }) => content.toString()).find((content) => content.includes(token))
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`no kept message contains ${token}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('postfix, plain', () => {
  it('greets and advertises PIPELINING, 8BITMIME, SMTPUTF8, CHUNKING and STARTTLS, but no AUTH before TLS', async () => {
    const token = randomUUID()
    const result = await send(['--verbose', `smtp://127.0.0.1:${smtp.port}`], 'sender@example.org', [`a@${keepDomain}`], message(token))
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/< 220 .* ESMTP netc harness postfix/)
    for (const extension of ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'CHUNKING', 'STARTTLS', 'ENHANCEDSTATUSCODES']) {
      expect(result.stderr).toMatch(new RegExp(`< 250[ -]${extension}\\r?\\n`))
    }
    expect(result.stderr).not.toMatch(/< 250[ -]AUTH/)
    const kept = await keptWith(token)
    expect(kept).toMatch(new RegExp(`^Delivered-To: a@${keepDomain}$`, 'm'))
    expect(kept).toContain(`Subject: smoke ${token}\n`)
    expect(kept).toContain(`\nBody ${token}\n`)
  })

  it('discards mail for other domains, and says so in its log', async () => {
    const token = randomUUID()
    const before = (await smtp.received()).length
    const result = await send(['--verbose', `smtp://127.0.0.1:${smtp.port}`], 'sender@example.org', ['other@example.net'], message(token))
    expect(result.code).toBe(0)
    const queueId = /queued as ([0-9A-F]+)/.exec(result.stderr)?.[1]
    expect(queueId).toBeDefined()
    await expect.poll(() => smtp.log(), { timeout: 10_000 }).toMatch(new RegExp(`${queueId}: to=<other@example.net>.*status=sent \\(netc harness sink\\)`))
    expect((await smtp.received()).length).toBe(before)
  })

  it('keeps 8-bit and UTF-8 (SMTPUTF8) mail byte for byte', async () => {
    const token = randomUUID()
    const result = await send([`smtp://127.0.0.1:${smtp.port}`], 'sénder@example.org', [`ünï@${keepDomain}`], message(token, ' Grüße ✓'))
    expect(result.stderr).toBe('')
    const kept = await keptWith(token)
    expect(kept).toMatch(new RegExp(`^Delivered-To: ünï@${keepDomain}$`, 'm'))
    expect(kept).toContain(`Body ${token} Grüße ✓\n`)
  })
})

describe('postfix with TLS and AUTH', () => {
  it('STARTTLS, then AUTH with the mechanisms of its dovecot, then sends', async () => {
    const token = randomUUID()
    const { user, pass } = smtp.users[0]!
    const result = await send(
      ['--verbose', '--ssl-reqd', '--cacert', smtp.caFile, '--user', `${user}:${pass}`, `smtp://127.0.0.1:${smtp.port}`],
      'sender@example.org',
      [`b@${keepDomain}`],
      message(token),
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(new RegExp(`< 250[ -]AUTH ${postfixMechanisms.join(' ')}\\r?\\n`))
    expect(result.stderr).toMatch(/< 235 2\.7\.0 Authentication successful/)
    expect(await keptWith(token)).toContain(`Body ${token}`)
  })

  it('implicit TLS (smtps) with a password that needs percent-encoding, AUTH PLAIN', async () => {
    const token = randomUUID()
    const { user, pass } = smtp.users[1]!
    const result = await send(
      ['--cacert', smtp.caFile, '--login-options', 'AUTH=PLAIN', '--user', `${user}:${pass}`, `smtps://127.0.0.1:${smtp.tlsPort}`],
      'sender@example.org',
      [`c@${keepDomain}`],
      message(token),
    )
    expect(result.stderr).toBe('')
    expect(await keptWith(token)).toContain(`Body ${token}`)
  })

  it('refuses a wrong password with 535', async () => {
    const result = await send(
      ['--verbose', '--ssl-reqd', '--cacert', smtp.caFile, '--user', 'mailer:wrong', `smtp://127.0.0.1:${smtp.port}`],
      'sender@example.org',
      [`d@${keepDomain}`],
      message('never'),
    )
    expect(result.code).toBe(67)
    expect(result.stderr).toMatch(/< 535 5\.7\.8/)
  })
})
