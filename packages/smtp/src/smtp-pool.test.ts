import { ConnectionError, InvalidStateError } from '@netc/transport'
import { createTestCertificates, type TestCertificates } from '@netc/transport/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { SmtpPool } from './smtp-pool.ts'
import { SmtpTestServer } from './testing/smtp-test-server.ts'
import type { SmtpTestServerOptions } from './testing/smtp-test-server-options.ts'

let certificates: TestCertificates
beforeAll(async () => {
  certificates = await createTestCertificates()
})

const start = (options: SmtpTestServerOptions = {}) => SmtpTestServer.start({ certificates, starttls: false, ...options })
const envelope = (n: number) => ({ from: 'a@x.test', to: [`b${n}@x.test`] })
const subjects = (server: SmtpTestServer) => server.messages.map((m) => m.envelope.to[0]).sort()
const expected = (count: number) => Array.from({ length: count }, (_, n) => `b${n}@x.test`).sort()

describe('SmtpPool', () => {
  it('spreads messages over N connections, retiring each after its quota', async () => {
    await using server = await start()
    const pool = new SmtpPool(server.url('smtp'), { tls: 'none', name: 'client.test', maxConnections: 3, maxMessagesPerConnection: 10 })
    const results = await Promise.all(Array.from({ length: 50 }, (_, n) => pool.send(envelope(n), `message ${n}`)))
    await pool.close()
    expect(results.every((result) => result.accepted.length === 1)).toBe(true)
    expect(subjects(server)).toEqual(expected(50))
    expect(server.sessions.length).toBeGreaterThanOrEqual(5)
    const perSession = new Map<number, number>()
    for (const message of server.messages) perSession.set(message.session, (perSession.get(message.session) ?? 0) + 1)
    expect(Math.max(...perSession.values())).toBeLessThanOrEqual(10)
    expect(pool.connections).toBe(0)
  })

  it('backpressure: enqueue waits while the queue is full', async () => {
    await using server = await start()
    await using pool = new SmtpPool(server.url('smtp'), { tls: 'none', name: 'client.test', maxConnections: 1, maxQueue: 2 })
    const deliveries: Array<Promise<unknown>> = []
    let most = 0
    for (let n = 0; n < 12; n++) {
      const { delivery } = await pool.enqueue(envelope(n), `message ${n}`)
      most = Math.max(most, pool.pending)
      deliveries.push(delivery)
    }
    await Promise.all(deliveries)
    expect(most).toBeLessThanOrEqual(2)
    expect(subjects(server)).toEqual(expected(12))
  })

  it('replaces connections the server drops (421, idle close) without losing or doubling a message', async () => {
    // Every 4th MAIL of each session is answered 421 and the connection closed: a retried message goes
    // first on a new session, so the default maxAttempts (3) is plenty. DATA, not BDAT: a 421 to a
    // pipelined MAIL + BDAT LAST + message may arrive as a reset (the fake closes with the message unread),
    // and such a message is reported, not resent (smtp-pool-reconnect.test.ts).
    await using server = await start({
      chunking: false,
      faults: { hangUpOn: (command, { nth }) => (command.startsWith('MAIL') && nth % 4 === 0 ? '421 4.4.2 fake.test Error: timeout exceeded' : undefined) },
    })
    // noopAfterIdle 0: the connections dropped while idle are found dead by a NOOP, before a message goes out on them.
    await using pool = new SmtpPool(server.url('smtp'), { tls: 'none', name: 'client.test', maxConnections: 2, noopAfterIdle: 0 })
    await Promise.all(Array.from({ length: 20 }, (_, n) => pool.send(envelope(n), `message ${n}`)))
    for (const session of server.sessions) session.destroy() // the server closes every idle connection
    await Promise.all(Array.from({ length: 10 }, (_, n) => pool.send(envelope(20 + n), `message ${20 + n}`)))
    expect(subjects(server)).toEqual(expected(30))
    expect(server.sessions.length).toBeGreaterThanOrEqual(8) // 20 messages at 3 per session, and the sessions dropped at idle
  })

  it('close() drains the queue, then refuses new messages', async () => {
    await using server = await start()
    const pool = new SmtpPool(server.url('smtp'), { tls: 'none', name: 'client.test', maxConnections: 2 })
    const deliveries = await Promise.all(Array.from({ length: 20 }, (_, n) => pool.enqueue(envelope(n), `message ${n}`)))
    await pool.close()
    expect(subjects(server)).toEqual(expected(20))
    await Promise.all(deliveries.map((entry) => entry.delivery))
    await expect(pool.send(envelope(99), 'late')).rejects.toThrow(InvalidStateError)
  })

  it('closes idle connections after idleTimeout', async () => {
    await using server = await start()
    await using pool = new SmtpPool(server.url('smtp'), { tls: 'none', name: 'client.test', idleTimeout: 20 })
    await pool.send(envelope(0), 'x')
    expect(pool.connections).toBe(1)
    await expect.poll(() => pool.connections, { timeout: 5000 }).toBe(0)
    await expect.poll(() => server.sessions[0]?.received.toString(), { timeout: 5000 }).toMatch(/QUIT\r\n$/)
    await pool.send(envelope(1), 'y')
    expect(server.sessions).toHaveLength(2)
  })

  it('a server that cannot be reached fails the message after reconnect.maxAttempts', async () => {
    const server = await start()
    const url = server.url('smtp')
    await server.close()
    await using pool = new SmtpPool(url, { tls: 'none', name: 'client.test', reconnect: { maxAttempts: 2, baseDelay: 10 } })
    await expect(pool.send(envelope(0), 'x')).rejects.toThrow(ConnectionError)
  })

  it('a refused message fails alone; the others go', async () => {
    await using server = await start({ reject: { recipients: (address) => (address === 'b3@x.test' ? '550 5.1.1 no such user' : undefined) } })
    await using pool = new SmtpPool(server.url('smtp'), { tls: 'none', name: 'client.test', maxConnections: 2 })
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, n) => pool.send(envelope(n), `message ${n}`)))
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'])
    expect(server.messages).toHaveLength(5)
  })
})
