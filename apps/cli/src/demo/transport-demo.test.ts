import { describe, expect, it } from 'vitest'
import { runTransportDemo } from './transport-demo.ts'

describe('netc demo (transport)', () => {
  it('runs the whole dialogue and delivers the message whole, smuggling attempt included', async () => {
    const lines: string[] = []
    const deliveries = await runTransportDemo((line) => lines.push(line))
    expect(deliveries).toHaveLength(1)
    expect(deliveries[0]?.from).toBe('<dave@example.com>')
    expect(deliveries[0]?.to).toEqual(['<hal@example.com>'])
    expect(deliveries[0]?.message.toString()).toBe(
      'Subject: hello from netc\r\n\r\nA line.\r\n.\r\nMAIL FROM:<smuggled@example.com>\r\n.leading dot\r\n',
    )
    expect(lines).toContain('   C: AUTH PLAIN ****')
    expect(lines.join('\n')).not.toContain('secret')
    expect(lines.some((line) => line.startsWith('   -- TLS TLSv1.'))).toBe(true)
    // MAIL, RCPT and DATA went out before any of their replies came back (one pipelined write).
    const mail = lines.indexOf('   C: MAIL FROM:<dave@example.com>')
    expect(lines.slice(mail, mail + 3)).toEqual(['   C: MAIL FROM:<dave@example.com>', '   C: RCPT TO:<hal@example.com>', '   C: DATA'])
  })
})
