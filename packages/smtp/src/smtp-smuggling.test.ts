import { Readable } from 'node:stream'
import fc from 'fast-check'
import { createTestCertificates } from '@netc/transport/testing'
import { describe, expect, it } from 'vitest'
import { SmtpClient } from './smtp-client.ts'
import { SmtpTestServer } from './testing/smtp-test-server.ts'

/** The oracle: every CR, LF and CRLF becomes CRLF, and an open last line is closed (bytes kept as latin1). */
function expectedDelivery(body: Buffer): string {
  const text = body.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n')
  return text === '' || text.endsWith('\r\n') ? text : `${text}\r\n`
}

const piece = fc.oneof(
  fc.constantFrom('\r', '\n', '.', '\r\n', '\n.\n', '\r.\r', '\r\n.\n', '\n.\r\n', '\r\n.\r\n', 'MAIL FROM:<evil@example.com>\r\n', '..', 'x'),
  fc.string({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
)
const bodies = fc.array(piece, { maxLength: 40 }).map((pieces) => Buffer.from(pieces.join(''), 'latin1'))

describe('SMTP smuggling (December 2023): nothing in a body can end the data early', () => {
  it.each([
    ['DATA', false],
    ['BDAT', true],
  ])('%s: arbitrary bodies arrive whole, as one message, one by one or streamed', async (_name, chunking) => {
    const certificates = await createTestCertificates()
    await using server = await SmtpTestServer.start({ chunking, starttls: false, certificates })
    await using client = await SmtpClient.connect(server.url('smtp'), { tls: 'none', name: 'client.test' })
    let sent = 0
    await fc.assert(
      fc.asyncProperty(bodies, fc.boolean(), fc.integer({ min: 1, max: 7 }), async (body, stream, size) => {
        const chunks: Buffer[] = []
        for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size))
        const result = await client.send({ from: 'a@example.com', to: ['b@example.com'] }, stream ? Readable.from(chunks) : body, { chunkSize: 16 })
        sent++
        expect(result.accepted).toEqual(['b@example.com'])
        expect(server.messages).toHaveLength(sent)
        expect(server.messages.at(-1)?.message.toString('latin1')).toBe(expectedDelivery(body))
      }),
      { numRuns: 150 },
    )
    expect(server.messages.every((m) => m.envelope.from === 'a@example.com')).toBe(true)
  })

  it.each([false, true])('a body holding \\r\\n.\\r\\nMAIL FROM: is delivered whole (chunking: %s)', async (chunking) => {
    await using server = await SmtpTestServer.start({ chunking, starttls: false })
    await using client = await SmtpClient.connect(server.url('smtp'), { tls: 'none', name: 'client.test' })
    const smuggled = 'Subject: hi\r\n\r\nhello\r\n.\r\nMAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nSubject: forged\r\n\r\nx\r\n.\r\n'
    for (const variant of [smuggled, smuggled.replace(/\r\n\.\r\n/g, '\n.\n'), smuggled.replace(/\r\n\.\r\n/g, '\r.\r'), smuggled.replace(/\r\n\.\r\n/g, '\r\n.\n')]) {
      await client.send({ from: 'a@example.com', to: ['b@example.com'] }, variant)
    }
    expect(server.messages).toHaveLength(4)
    for (const captured of server.messages) {
      expect(captured.envelope.to).toEqual(['b@example.com'])
      expect(captured.message.toString()).toContain('MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>')
    }
    expect(server.messages[0]?.message.toString()).toBe(smuggled)
  })
})
