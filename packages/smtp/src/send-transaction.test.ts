import { connectSocket, encodeDotBody, type ConnectFunction } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { SmtpClient } from './smtp-client.ts'
import { SmtpTestServer } from './testing/smtp-test-server.ts'

/** A connect seam that records every chunk the client hands the socket (the Buffers themselves, uncopied). */
function recordingConnect(writes: Uint8Array[]): ConnectFunction {
  return async (options) => {
    const socket = await connectSocket(options)
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      writes.push(chunk as Uint8Array)
      return write(chunk, ...rest)
    }) as typeof socket.write
    return socket
  }
}

async function setup() {
  const server = await SmtpTestServer.start({ starttls: false, chunking: false })
  const writes: Uint8Array[] = []
  const client = await SmtpClient.connect({ host: server.host, port: server.port, name: 'client.test', tls: 'none', connect: recordingConnect(writes) })
  return { server, client, writes, [Symbol.asyncDispose]: async () => { await client.close(); await server.close() } }
}

const line = (n: number): string => `${String(n).padStart(6, '0')} ${'abcdefghij'.repeat(7)}\r\n`
const envelope = { from: 'a@example.com', to: ['b@example.com'] }

describe('sendTransaction: DATA with a large message in memory', () => {
  it('a CRLF Buffer goes out as views of itself around the doubled dots: no encoded copy, delivered exact', async () => {
    await using t = await setup()
    const text = Array.from({ length: 2000 }, (_, n) => (n % 150 === 7 ? `.${line(n)}` : line(n))).join('')
    const message = Buffer.from(`Subject: big\r\n\r\n${text}`, 'latin1')
    t.writes.length = 0
    await t.client.send(envelope, message)
    expect(t.server.messages[0]?.message.equals(message)).toBe(true)
    const [first, ...data] = t.writes
    expect(Buffer.from(first as Uint8Array).toString('latin1')).toMatch(/^MAIL FROM:.*\r\nRCPT TO:<b@example\.com>\r\nDATA\r\n$/)
    const body = data // QUIT goes later, at dispose
    expect(Buffer.concat(body).equals(encodeDotBody(message))).toBe(true)
    // 14 dots: 14 views of the message, 14 one-byte dots, the rest of the message and the terminator.
    expect(body).toHaveLength(30)
    expect(body.filter((piece) => piece.buffer === message.buffer).length).toBe(15)
  })

  it('a message with bare LFs goes out encoded a window at a time, CRLF-normalised and dot-stuffed', async () => {
    await using t = await setup()
    const text = Array.from({ length: 3000 }, (_, n) => `${n % 100 === 0 ? '.' : ''}${line(n).replace('\r\n', '\n')}`).join('')
    t.writes.length = 0
    await t.client.send(envelope, text)
    const normalised = Buffer.from(text.replaceAll('\n', '\r\n'), 'latin1')
    expect(t.server.messages[0]?.message.equals(normalised)).toBe(true)
    const body = t.writes.slice(1)
    expect(Buffer.concat(body).equals(encodeDotBody(text))).toBe(true)
    expect(body.length).toBeGreaterThan(3)
    for (const piece of body) expect(piece.length).toBeLessThanOrEqual(64 * 1024 + 2048)
  })
})
