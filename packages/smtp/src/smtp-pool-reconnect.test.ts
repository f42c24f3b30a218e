import type { Duplex } from 'node:stream'
import { ConnectionError, connectSocket, type ConnectOptions, type NetcError } from '@netc/transport'
import { createTestCertificates, type TestCertificates } from '@netc/transport/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { isDeliveryUncertain } from './delivery-uncertain.ts'
import type { SendResult } from './send-result.ts'
import { SmtpPool, type SmtpPoolOptions } from './smtp-pool.ts'
import { SmtpTestServer } from './testing/smtp-test-server.ts'
import type { MessageDrop, SmtpTestServerOptions } from './testing/smtp-test-server-options.ts'

let certificates: TestCertificates
beforeAll(async () => {
  certificates = await createTestCertificates()
})

const start = (options: SmtpTestServerOptions = {}) => SmtpTestServer.start({ certificates, starttls: false, ...options })
const pool = (server: SmtpTestServer, options: SmtpPoolOptions = {}) =>
  new SmtpPool(server.url('smtp'), { tls: 'none', name: 'client.test', // Backoff that outlasts the restarts below (at least 1.3 s in all before it gives up), and no longer.
  reconnect: { baseDelay: 50, maxDelay: 400, maxAttempts: 10 }, ...options })
const envelope = (n: number) => ({ from: 'a@x.test', to: [`b${n}@x.test`] })
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** How each message came out: the server's copies of each, and the pool's verdict. */
function tally(server: SmtpTestServer, outcomes: ReadonlyArray<PromiseSettledResult<SendResult>>) {
  const copies = new Map<string, number>()
  for (const message of server.messages) for (const to of message.envelope.to) copies.set(to, (copies.get(to) ?? 0) + 1)
  const delivered: number[] = []
  const uncertain: number[] = []
  const failed: unknown[] = []
  outcomes.forEach((outcome, n) => {
    if (outcome.status === 'fulfilled') delivered.push(n)
    else if (isDeliveryUncertain(outcome.reason)) uncertain.push(n)
    else failed.push(outcome.reason)
  })
  return { copies: (n: number) => copies.get(`b${n}@x.test`) ?? 0, delivered, uncertain, failed, duplicates: [...copies.values()].filter((count) => count > 1).length }
}

describe('SmtpPool reconnects', () => {
  it('a server that closes idle connections (421 after smtpd_timeout): every message once, on new connections', async () => {
    await using server = await start({ faults: { idleTimeout: 300 } })
    // The client sees the 421 and hang-up while idle; a NOOP after 400 ms idle also covers a hang-up that
    // would cross the next message (slow machines).
    await using smtp = pool(server, { maxConnections: 2, noopAfterIdle: 400 })
    const outcomes: Array<PromiseSettledResult<SendResult>> = []
    for (let round = 0; round < 4; round++) {
      outcomes.push(...(await Promise.allSettled([0, 1, 2].map((i) => smtp.send(envelope(round * 3 + i), `message ${round * 3 + i}`)))))
      await pause(700) // longer than the server's idle timeout: it says 421 and hangs up
    }
    const result = tally(server, outcomes)
    expect(result.delivered).toHaveLength(12)
    expect(result.duplicates).toBe(0)
    expect(server.sessions.length).toBeGreaterThanOrEqual(8) // two per round at least
    expect(server.sessions[0]?.sent.toString()).toMatch(/421 4\.4\.2 fake\.test Error: timeout exceeded\r\n$/)
  })

  it('a server restart (sessions dropped, then refused for a while): queued messages wait and all get through', async () => {
    await using server = await start({ faults: { delayMs: 2 } })
    await using smtp = pool(server, { maxConnections: 3 })
    const sends = Array.from({ length: 40 }, (_, n) => smtp.send(envelope(n), `message ${n}`))
    await server.waitForMessages(5)
    const restart = server.restart({ downFor: 800 })
    const outcomes = await Promise.allSettled(sends)
    await restart
    const result = tally(server, outcomes)
    expect(result.failed).toEqual([])
    expect(result.duplicates).toBe(0)
    expect(result.delivered.length + result.uncertain.length).toBe(40)
    for (const n of result.delivered) expect(result.copies(n)).toBe(1)
    for (const n of result.uncertain) expect(result.copies(n)).toBeLessThanOrEqual(1)
    expect(server.sessions.some((session) => session.sent.length === 0)).toBe(true) // connections refused while it was down
  })

  it('close() drains the queue across a restart', async () => {
    await using server = await start()
    // noopAfterIdle 0: a NOOP checks every reused connection, so none of a message goes out on a dead one.
    const smtp = pool(server, { maxConnections: 2, noopAfterIdle: 0 })
    await smtp.send(envelope(0), 'first')
    const restart = server.restart({ downFor: 500 })
    const deliveries = await Promise.all(Array.from({ length: 10 }, (_, n) => smtp.enqueue(envelope(n + 1), `message ${n + 1}`)))
    await smtp.close()
    await restart
    const outcomes = await Promise.allSettled(deliveries.map((entry) => entry.delivery))
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true)
    expect(tally(server, outcomes).duplicates).toBe(0)
    expect(server.messages).toHaveLength(11)
    expect(smtp.connections).toBe(0)
  })

  it('gives up after reconnect.maxAttempts connections in a row, failing the queued messages too', async () => {
    await using server = await start()
    await using smtp = pool(server, { maxConnections: 1, reconnect: { maxAttempts: 3, baseDelay: 10, maxDelay: 20 } })
    await smtp.send(envelope(0), 'first')
    const restart = server.restart({ downFor: 3000 })
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => smtp.send(envelope(n), `message ${n}`)))
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected'])
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(ConnectionError.isInstance(outcome.reason)).toBe(true)
    expect(server.sessions).toHaveLength(1 + 3) // the first session, then three refused connections
    expect(smtp.pending).toBe(0)
    await restart
    await smtp.send(envelope(4), 'after') // the next message starts afresh
    expect(server.messages.map((m) => m.envelope.to[0])).toEqual(['b0@x.test', 'b4@x.test'])
  })

  it.each(['DATA', 'BDAT'] as const)('a connection dropped after the %s went out is reported uncertain, never sent twice', async (transfer) => {
    // Messages 3 and 7: the server takes 3 and hangs up before its 250; it hangs up on 7 without taking it.
    const drops = new Map<string, MessageDrop>([['b3@x.test', 'before-reply'], ['b7@x.test', 'unqueued']])
    await using server = await start({ chunking: transfer === 'BDAT', faults: { dropOnMessage: (captured) => drops.get(captured.to[0] ?? '') } })
    await using smtp = pool(server, { maxConnections: 2 })
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, n) => smtp.send(envelope(n), `message ${n}`)))
    const result = tally(server, outcomes)
    expect(result.uncertain).toEqual([3, 7])
    expect(result.failed).toEqual([])
    expect([3, 7].map(result.copies)).toEqual([1, 0])
    expect(result.duplicates).toBe(0)
    expect(server.messages.every((message) => message.transfer === transfer)).toBe(true)
    const reason = (outcomes[3] as PromiseRejectedResult).reason as NetcError
    expect(ConnectionError.isInstance(reason) || reason.code === 'ERR_NETC_CLOSED').toBe(true)
  })

  it('reconnect.resendUncertain sends such a message again (for receivers that drop duplicates)', async () => {
    let dropped = 0
    await using server = await start({ faults: { dropOnMessage: (captured) => (captured.to[0] === 'b2@x.test' && dropped++ === 0 ? 'unqueued' : undefined) } })
    await using smtp = pool(server, { reconnect: { resendUncertain: true } })
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, (_, n) => smtp.send(envelope(n), `message ${n}`)))
    const result = tally(server, outcomes)
    expect(result.delivered).toEqual([0, 1, 2, 3])
    expect(result.duplicates).toBe(0)
  })

  it('a server that hangs up right after a 250: the next message on it is at worst reported, never sent twice', async () => {
    const hangUpAfterSecond = { dropOnMessage: (_captured: unknown, { nth }: { nth: number }) => (nth === 2 ? ('after-reply' as const) : undefined) }
    await using server = await start({ faults: hangUpAfterSecond })
    await using smtp = pool(server, { maxConnections: 1 })
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, n) => smtp.send(envelope(n), `message ${n}`)))
    const result = tally(server, outcomes)
    // MAIL, RCPT and BDAT LAST went out in one write on a connection whose hang-up had not arrived yet: the
    // pool cannot tell whether the server read it, so it reports the message instead of sending it again.
    expect(result.failed).toEqual([])
    expect(result.delivered.length + result.uncertain.length).toBe(6)
    for (const n of result.uncertain) expect(result.copies(n)).toBe(0)
    expect(result.duplicates).toBe(0)

    // With a NOOP before each reuse the dead connection is found before any of the message goes out.
    await using checked = await start({ faults: hangUpAfterSecond })
    await using careful = pool(checked, { maxConnections: 1, noopAfterIdle: 0 })
    const safe = tally(checked, await Promise.allSettled(Array.from({ length: 6 }, (_, n) => careful.send(envelope(n), `message ${n}`))))
    expect(safe.delivered).toEqual([0, 1, 2, 3, 4, 5])
    expect(safe.duplicates).toBe(0)
    expect(checked.sessions).toHaveLength(3)
  })

  it('checks a connection left idle with NOOP, and replaces it when the server had closed it', async () => {
    await using server = await start({ faults: { idleTimeout: 300 } })
    await using smtp = pool(server, { maxConnections: 1, noopAfterIdle: 200 })
    await smtp.send(envelope(0), 'first')
    await expect.poll(() => server.sessions[0]?.sent.toString(), { timeout: 5000 }).toMatch(/421 4\.4\.2/)
    await smtp.send(envelope(1), 'second')
    expect(server.messages.map((m) => m.session)).toEqual([1, 2])
  })

  it('4xx: tried again later; 5xx: fails at once; maxAttempts of retryTransient bounds the tries', async () => {
    const seen = new Map<string, number>()
    const data = (_message: Buffer, captured: { to: string[] }) => {
      const to = captured.to[0] ?? ''
      const count = (seen.get(to) ?? 0) + 1
      seen.set(to, count)
      if (to === 'b1@x.test' && count === 1) return '451 4.3.0 try again later'
      if (to === 'b2@x.test') return '452 4.3.1 insufficient system storage'
      if (to === 'b3@x.test') return '554 5.7.1 rejected'
      return undefined
    }
    await using server = await start({ reject: { data } })
    await using smtp = pool(server, { retryTransient: { maxAttempts: 3, baseDelay: 10, maxDelay: 20 } })
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, (_, n) => smtp.send(envelope(n), `message ${n}`)))
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected'])
    expect(Object.fromEntries(seen)).toEqual({ 'b0@x.test': 1, 'b1@x.test': 2, 'b2@x.test': 3, 'b3@x.test': 1 })
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ replyCode: 452 })
    expect(server.messages.map((m) => m.envelope.to[0]).sort()).toEqual(['b0@x.test', 'b1@x.test'])
  })

  it('connections dropped on the client side (sockets destroyed): the messages go again, each once', async () => {
    await using server = await start()
    const sockets: Duplex[] = []
    const connect = async (options: ConnectOptions): Promise<Duplex> => {
      const socket = await connectSocket(options)
      sockets.push(socket)
      return socket
    }
    await using smtp = pool(server, { maxConnections: 3, connect })
    await Promise.all(Array.from({ length: 9 }, (_, n) => smtp.send(envelope(n), `message ${n}`)))
    for (const socket of sockets) socket.destroy()
    const outcomes = await Promise.allSettled(Array.from({ length: 9 }, (_, n) => smtp.send(envelope(9 + n), `message ${9 + n}`)))
    const result = tally(server, outcomes)
    expect(result.delivered).toHaveLength(9)
    expect(result.duplicates).toBe(0)
    expect(sockets.length).toBeGreaterThan(3)
  })

  it('refuses bad retry options', () => {
    expect(() => new SmtpPool('smtp://127.0.0.1:1', { reconnect: { maxAttempts: 0 } })).toThrow(/reconnect\.maxAttempts/)
    expect(() => new SmtpPool('smtp://127.0.0.1:1', { retryTransient: { baseDelay: -1 } })).toThrow(/retryTransient\.baseDelay/)
  })
})
