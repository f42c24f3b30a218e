import { describe, expect, it } from 'vitest'
import { dovecotMechanisms, startDovecot } from '../src/index.ts'
import type { Pop3Daemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'
import { curl } from './run-client.ts'

let pop3: Pop3Daemon

const messages = [1, 2, 3].map(
  (n) => `From: sender@example.org\r\nTo: alice@localhost\r\nSubject: Message ${n}\r\nMessage-ID: <m${n}@harness>\r\n\r\nBody of message ${n}.\r\n..a dot-stuffed line\r\n`,
)

daemonHooks(
  async () => {
    const daemon = await startDovecot()
    await daemon.fillMailbox('alice', messages)
    await daemon.fillMailbox('bob', ['Subject: for bob\r\n\r\nHello Bob.\r\n'])
    return daemon
  },
  (daemon) => {
    pop3 = daemon
  },
)

/** `pop3[s]://user:pass@127.0.0.1:port/path`, credentials percent-encoded. */
function url(user: string, path = '/', tls = false): string {
  const { pass } = pop3.users.find((candidate) => candidate.user === user)!
  return `${tls ? 'pop3s' : 'pop3'}://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${tls ? pop3.tlsPort : pop3.port}${path}`
}

describe('dovecot POP3, plain', () => {
  it('greets with CAPA STLS and SASL, logs in and lists the filled mailbox', async () => {
    const result = await curl(['--verbose', url('alice')])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/< \+OK Dovecot/)
    expect(result.stderr).toMatch(/< STLS/)
    expect(result.stderr).toMatch(/< SASL PLAIN LOGIN CRAM-MD5/)
    const lines = result.stdout.toString().trim().split(/\r?\n/)
    expect(lines.map((line) => line.split(' ')[0])).toEqual(['1', '2', '3'])
  })

  it('retrieves a message byte for byte (dot-unstuffed)', async () => {
    const result = await curl([url('alice', '/2')])
    expect(result.stdout.toString()).toBe(messages[1])
  })

  it('refuses a wrong password', async () => {
    const result = await curl([`pop3://alice:wrong@127.0.0.1:${pop3.port}/`])
    expect(result.code).toBe(67)
  })
})

describe('dovecot POP3 with TLS', () => {
  it('upgrades with STLS (--ssl-reqd) and retrieves', async () => {
    const result = await curl(['--ssl-reqd', '--cacert', pop3.caFile, url('alice', '/1')])
    expect(result.stderr).toBe('')
    expect(result.stdout.toString()).toBe(messages[0])
  })

  it('speaks POP3S on tlsPort, verified against the harness CA', async () => {
    const result = await curl(['--cacert', pop3.caFile, url('bob', '/1', true)])
    expect(result.stderr).toBe('')
    expect(result.stdout.toString()).toBe('Subject: for bob\r\n\r\nHello Bob.\r\n')
  })

  it('logs in with a password that needs percent-encoding', async () => {
    const result = await curl(['--cacert', pop3.caFile, url('carol', '/', true)])
    expect(result.stderr).toBe('')
    expect(result.stdout.toString().trim()).toBe('') // an empty mailbox
  })

  it.each(['PLAIN', 'LOGIN', 'CRAM-MD5', '+APOP'])('logs in with %s', async (mechanism) => {
    const result = await curl(['--cacert', pop3.caFile, '--login-options', `AUTH=${mechanism}`, url('bob', '/', true)])
    expect(result.stderr).toBe('')
    expect(result.stdout.toString()).toMatch(/^1 \d+\r?\n$/)
  })

  it('offers the SASL mechanisms it documents', async () => {
    const result = await curl(['--verbose', '--cacert', pop3.caFile, url('bob', '/', true)])
    const sasl = /< SASL (.*)/.exec(result.stderr)?.[1]?.trim().split(' ')
    expect(sasl).toEqual(dovecotMechanisms.filter((mechanism) => mechanism !== 'APOP'))
  })
})

describe('dovecot mailbox filling', () => {
  it('fills 2,000 messages straight into Maildir and lists them all', async () => {
    const started = Date.now()
    const many = Array.from({ length: 2000 }, (_, n) => `Subject: bulk ${n}\r\n\r\nbulk body ${n}\r\n`)
    await pop3.fillMailbox('carol', many)
    const list = await curl(['--cacert', pop3.caFile, url('carol', '/', true)])
    expect(list.stdout.toString().trim().split(/\r?\n/)).toHaveLength(2000)
    const last = await curl(['--cacert', pop3.caFile, url('carol', '/2000', true)])
    expect(last.stdout.toString()).toBe(many[1999])
    expect(Date.now() - started).toBeLessThan(15_000)
  })
})
