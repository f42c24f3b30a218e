import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { InvalidArgumentError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { composeMail } from './compose-mail.ts'
import { SmtpClient } from './smtp-client.ts'
import { SmtpTestServer } from './testing/smtp-test-server.ts'

const run = promisify(execFile)

/** Python's email parser as an independent reader of the MIME structure. */
async function parseWithPython(message: Buffer): Promise<Record<string, unknown>> {
  const script = [
    'import sys, json, email',
    'from email import policy',
    'm = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)',
    'parts = [{"type": p.get_content_type(), "filename": p.get_filename(), "content": (p.get_content() if p.get_content_maintype() == "text" else p.get_content().decode("latin1"))} for p in m.walk() if not p.is_multipart()]',
    'print(json.dumps({"from": str(m["from"]), "to": str(m["to"]), "cc": str(m["cc"]), "bcc": m["bcc"], "subject": str(m["subject"]), "x": m["x-mailer"], "parts": parts}))',
  ].join('\n')
  const child = run('python3', ['-c', script], { timeout: 15_000 })
  child.child.stdin?.end(message)
  return JSON.parse((await child).stdout) as Record<string, unknown>
}

describe('composeMail', () => {
  it('takes the envelope from the headers and keeps Bcc out of the message', async () => {
    const { envelope, message } = await composeMail({
      from: 'Dave Ä <dave@example.com>',
      to: ['b@example.com', { name: 'C, Person', address: 'c@example.com' }],
      cc: 'd@example.com',
      bcc: ['secret@example.com', 'b@example.com'],
      subject: 'Grüße',
      text: 'Hällo\n.\nbye',
      html: '<b>hi</b>',
      headers: { 'X-Mailer': 'netc' },
      attachments: [{ filename: 'a.bin', content: Buffer.from([0, 1, 2, 255]) }],
    })
    expect(envelope).toEqual({ from: 'dave@example.com', to: ['b@example.com', 'c@example.com', 'd@example.com', 'secret@example.com'] })
    expect(message.toString()).not.toMatch(/bcc|secret@/i)
    const parsed = await parseWithPython(message)
    expect(parsed).toMatchObject({ from: 'Dave Ä <dave@example.com>', cc: 'd@example.com', bcc: null, subject: 'Grüße', x: 'netc' })
    expect(parsed.parts).toEqual([
      { type: 'text/plain', filename: null, content: 'Hällo\n.\nbye' },
      { type: 'text/html', filename: null, content: '<b>hi</b>\n' },
      { type: 'application/octet-stream', filename: 'a.bin', content: '\u0000\u0001\u0002\u00ff' },
    ])
  })

  it.each([
    [{ from: 'a@x.test' }],
    [{ from: 'a@x.test', to: 'b@x.test', headers: { 'X-Evil': 'v\r\nBcc: c@x.test' } }],
    [{ from: 'a@x.test', to: 'b@x.test', headers: { 'Bad Name': 'v' } }],
    [{ from: 'a@x.test', to: 'b@x.test', headers: { Bcc: 'c@x.test' } }],
    [{ from: 'not an address', to: 'b@x.test' }],
  ])('refuses %j', async (mail) => {
    await expect(composeMail(mail)).rejects.toThrow(InvalidArgumentError)
  })
})

describe('SmtpClient.sendMail', () => {
  it('delivers to To, Cc and Bcc; the message has no Bcc', async () => {
    await using server = await SmtpTestServer.start({ starttls: false })
    await using client = await SmtpClient.connect(server.url('smtp'), { tls: 'none', name: 'client.test' })
    const result = await client.sendMail({ from: 'a@x.test', to: 'b@x.test', bcc: 'hidden@x.test', subject: 'hi', text: 'hello\n.\n' })
    expect(result.accepted).toEqual(['b@x.test', 'hidden@x.test'])
    expect(server.messages[0]?.envelope.to).toEqual(['b@x.test', 'hidden@x.test'])
    expect(server.messages[0]?.message.toString()).not.toMatch(/hidden/)
    expect(server.messages[0]?.message.toString()).toMatch(/\r\n\r\nhello\r\n\.\r\n/)
  })
})
