import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SmtpTestServer } from './smtp-test-server.ts'

const run = promisify(execFile)
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netc-smtp-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function python(script: string, args: string[]): Promise<string> {
  const { stdout } = await run('python3', ['-c', script, ...args], { timeout: 15_000 })
  return stdout
}

const message = 'From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nhello\r\n.dot line\r\n'

describe("Python's smtplib against SmtpTestServer", () => {
  it('SMTP + starttls(context) + login + sendmail, refused recipients reported', async () => {
    await using server = await SmtpTestServer.start({
      auth: { users: { dave: 'secret' }, requireTls: true },
      reject: { recipients: (address) => (address === 'nobody@example.com' ? '550 5.1.1 no such user' : undefined) },
    })
    const ca = join(dir, 'ca-1.pem')
    await writeFile(ca, server.ca)
    const script = [
      'import smtplib, ssl, sys',
      'ctx = ssl.create_default_context(cafile=sys.argv[3])',
      's = smtplib.SMTP(sys.argv[1], int(sys.argv[2]), local_hostname="client.test", timeout=10)',
      's.starttls(context=ctx)',
      "s.login('dave', 'secret')",
      "refused = s.sendmail('a@example.com', ['b@example.com', 'nobody@example.com'], sys.argv[4])",
      'print(sorted(refused.items()))',
      's.quit()',
    ].join('\n')
    const out = await python(script, [server.host, String(server.port), ca, message])
    expect(out.trim()).toBe("[('nobody@example.com', (550, b'5.1.1 no such user'))]")
    expect(server.messages).toHaveLength(1)
    expect(server.messages[0]).toMatchObject({ secure: true, user: 'dave', transfer: 'DATA', envelope: { from: 'a@example.com', to: ['b@example.com'] } })
    expect(server.messages[0]?.message.toString()).toBe(message)
  })

  it('SMTP_SSL (implicit TLS)', async () => {
    await using server = await SmtpTestServer.start({ tls: 'implicit', auth: { users: { dave: 'secret' } } })
    const ca = join(dir, 'ca-2.pem')
    await writeFile(ca, server.ca)
    const script = [
      'import smtplib, ssl, sys',
      'ctx = ssl.create_default_context(cafile=sys.argv[3])',
      's = smtplib.SMTP_SSL(sys.argv[1], int(sys.argv[2]), local_hostname="client.test", context=ctx, timeout=10)',
      "s.login('dave', 'secret')",
      "s.sendmail('a@example.com', ['b@example.com'], sys.argv[4])",
      's.quit()',
    ].join('\n')
    await python(script, [server.host, String(server.port), ca, message])
    expect(server.messages[0]).toMatchObject({ secure: true, user: 'dave' })
    expect(server.messages[0]?.message.toString()).toBe(message)
  })
})

describe('curl against SmtpTestServer', () => {
  it('plain: --mail-from --mail-rcpt -T file', async () => {
    await using server = await SmtpTestServer.start({ starttls: false })
    const file = join(dir, 'message-1.eml')
    await writeFile(file, message)
    await run('curl', ['-sS', '--max-time', '10', server.url('smtp'), '--mail-from', 'a@example.com', '--mail-rcpt', 'b@example.com', '-T', file])
    expect(server.messages[0]?.envelope).toMatchObject({ from: 'a@example.com', to: ['b@example.com'] })
    expect(server.messages[0]?.message.toString()).toBe(message)
  })

  it('STARTTLS: --ssl-reqd --cacert, with AUTH', async () => {
    await using server = await SmtpTestServer.start({ auth: { users: { dave: 'secret' }, requireTls: true } })
    const file = join(dir, 'message-2.eml')
    const ca = join(dir, 'ca-3.pem')
    await writeFile(file, message)
    await writeFile(ca, server.ca)
    const args = ['-sS', '--max-time', '10', '--ssl-reqd', '--cacert', ca, '--user', 'dave:secret', server.url('smtp')]
    await run('curl', [...args, '--mail-from', 'a@example.com', '--mail-rcpt', 'b@example.com', '--mail-rcpt', 'c@example.com', '-T', file])
    expect(server.messages[0]).toMatchObject({ secure: true, user: 'dave', envelope: { to: ['b@example.com', 'c@example.com'] } })
    expect(server.messages[0]?.message.toString()).toBe(message)
  })
})
