// Load: @netc/smtp's SmtpPool with 200 connections against a real postfix, 400 messages at once; every
// send's result checked. The figures go to docs/RELIABILITY.md (the NETC_LOAD line).
import { SmtpPool } from '@netc/smtp'
import { formatLoadLine, LoadMeter } from '@netc/transport/testing'
import { describe, expect, it } from 'vitest'
import { startPostfix, type SmtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

const sessions = 200
const messages = sessions * 2
const message = (n: number): string => `From: load@example.org\r\nTo: sink@example.net\r\nSubject: load ${n}\r\n\r\n${`line of message ${n}\r\n`.repeat(100)}`

let postfix: SmtpDaemon
// postfix's default_process_limit (100 smtpd processes) would hold half of 200 sessions in the listen queue.
daemonHooks(
  () => startPostfix({ processLimit: sessions * 2 }),
  (daemon) => {
    postfix = daemon
  },
)

describe('load: @netc/smtp (SmtpPool) against postfix', () => {
  it(`a pool of ${sessions} connections sends ${messages} messages, every result checked; descriptors and memory come back`, async () => {
    const meter = LoadMeter.start('smtp', 'postfix', sessions)
    const errors: unknown[] = []
    let peakConnections = 0
    {
      // Plaintext from 127.0.0.1 (postfix's mynetworks relays it; AUTH is only offered over TLS there). The
      // recipient's domain goes to postfix's discard transport.
      await using pool = new SmtpPool({ host: postfix.host, port: postfix.port, tls: 'none', maxConnections: sessions, maxMessagesPerConnection: 10 })
      const watcher = setInterval(() => (peakConnections = Math.max(peakConnections, pool.connections)), 10)
      await Promise.all(
        Array.from({ length: messages }, async (_, n) => {
          try {
            const result = await pool.send({ from: 'load@example.org', to: ['sink@example.net'] }, message(n))
            meter.count(result.accepted.join() === 'sink@example.net' && result.rejected.length === 0 && result.response.code === 250)
          } catch (error) {
            meter.count(false)
            errors.push(error)
          }
        }),
      )
      clearInterval(watcher)
    }
    const figures = await meter.finish()
    console.log(formatLoadLine({ ...figures, sessions: peakConnections }))
    expect(errors).toEqual([])
    expect(figures).toMatchObject({ failures: 0, operations: messages })
    // The pool really ran wide: connections that finish their share early make the sampled peak a little less than the maximum.
    expect(peakConnections).toBeGreaterThanOrEqual(sessions * 0.9)
    expect(peakConnections).toBeLessThanOrEqual(sessions)
    // Back near the start: no descriptor left (2 of slack for the runner's own files), heap within 64 MiB.
    expect(figures.fdsAfter).toBeLessThanOrEqual((figures.fdsBefore ?? 0) + 2)
    expect(figures.endHeapMiB).toBeLessThan(figures.startHeapMiB + 64)
  })
})
