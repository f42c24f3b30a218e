import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Pop3Client } from './pop3-client.ts'
import { Pop3TestServer } from './testing/index.ts'

const dave = { user: 'dave', pass: 'secret' }

/** Messages of varied sizes, with lines that need dot-unstuffing in some. */
function messages(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const filler = randomBytes(200 + ((i * 7919) % 9000)).toString('base64').replace(/(.{76})/g, '$1\r\n')
    return `Subject: ${i + 1}\r\n\r\n${i % 3 === 0 ? '.leading dot\r\n' : ''}${filler}\r\nend ${i + 1}\r\n`
  })
}

describe('Pop3Client.retrieveAll({ reuseBodies: true })', () => {
  it('gives every body exact while the loop has it, and reads later bodies into the memory of those it moved past', async () => {
    const mailbox = messages(40)
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: mailbox } })
    await using pop = await Pop3Client.connect({ host: server.host, port: server.port, auth: dave })
    const seen: string[] = []
    const memories = new Set<ArrayBufferLike>()
    for await (const message of pop.retrieveAll({ reuseBodies: true, window: 4 })) {
      seen.push(message.body.toString('latin1'))
      memories.add(message.body.buffer)
    }
    expect(seen).toEqual(mailbox)
    // 40 bodies in at most window + 2 blocks of memory (the window, the loop's, one being read).
    expect(memories.size).toBeLessThanOrEqual(6)
  })

  it('gives each body memory of its own without the option', async () => {
    const mailbox = messages(10)
    await using server = await Pop3TestServer.start({ starttls: false, mailbox: { ...dave, messages: mailbox } })
    await using pop = await Pop3Client.connect({ host: server.host, port: server.port, auth: dave })
    const kept = []
    for await (const message of pop.retrieveAll({ window: 4 })) kept.push(message.body)
    expect(kept.map((body) => body.toString('latin1'))).toEqual(mailbox)
  })
})
