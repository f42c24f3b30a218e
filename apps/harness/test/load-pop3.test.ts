// Load: 200 concurrent @netc/pop3 sessions against a real dovecot, each retrieving every message of its
// maildrop; every body checked byte for byte. The figures go to docs/RELIABILITY.md (the NETC_LOAD line).
import { Pop3Client } from '@netc/pop3'
import { formatLoadLine, LoadBarrier, LoadGate, LoadMeter } from '@netc/transport/testing'
import { describe, expect, it } from 'vitest'
import { pop3Users, startDovecot, type Pop3Daemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

const sessions = 200
const perMailbox = 5
/** Connects in flight at once: a burst of 200 SYNs overflows a daemon's listen backlog. */
const connectingAtOnce = 25
/** A 4 KiB message: n in its subject, and a body of numbered lines (CRLF only). */
const message = (user: string, n: number): Buffer =>
  Buffer.from(`From: load@example.com\r\nSubject: ${user} ${n}\r\n\r\n${Array.from({ length: 64 }, (_, line) => `${user} message ${n} line ${String(line).padStart(4, '0')} ${'x'.repeat(32)}`).join('\r\n')}\r\n`)

let dovecot: Pop3Daemon
daemonHooks(
  async () => {
    // dovecot's defaults (100 processes, 10 sessions per user and address) would turn most of 200 sessions away.
    const daemon = await startDovecot({ limits: { processLimit: sessions * 2, userIpConnections: sessions * 2 } })
    for (const { user } of pop3Users) await daemon.fillMailbox(user, Array.from({ length: perMailbox }, (_, n) => message(user, n + 1)))
    return daemon
  },
  (daemon) => {
    dovecot = daemon
  },
)

describe('load: @netc/pop3 against dovecot', () => {
  it(`${sessions} concurrent sessions retrieve every message, all checked; descriptors and memory come back`, async () => {
    const meter = LoadMeter.start('pop3', 'dovecot', sessions)
    const errors: unknown[] = []
    const connecting = new LoadGate(connectingAtOnce)
    // Every session is logged in before any retrieval: 200 sessions at once, then their retrievals together.
    const everyone = new LoadBarrier(sessions)
    await Promise.all(
      Array.from({ length: sessions }, async (_, index) => {
        const who = pop3Users[index % pop3Users.length]!
        let pop: Pop3Client | undefined
        try {
          pop = await connecting.run(() => Pop3Client.connect({ host: dovecot.host, port: dovecot.port, auth: who, tls: 'none', mechanism: 'USER' }))
          everyone.arrive()
          await everyone.reached
          const { count } = await pop.stat()
          meter.count(count === perMailbox)
          for (let n = 1; n <= perMailbox; n++) meter.count((await pop.retrieve(n)).equals(message(who.user, n)))
          await pop.close()
        } catch (error) {
          if (pop === undefined) everyone.arrive()
          pop?.destroy()
          meter.count(false)
          errors.push(error)
        }
      }),
    )
    const figures = await meter.finish()
    console.log(formatLoadLine(figures))
    expect(errors).toEqual([])
    expect(figures).toMatchObject({ failures: 0, operations: sessions * (perMailbox + 1) })
    // Back near the start: no descriptor left (2 of slack for the runner's own files), heap within 64 MiB.
    expect(figures.fdsAfter).toBeLessThanOrEqual((figures.fdsBefore ?? 0) + 2)
    expect(figures.endHeapMiB).toBeLessThan(figures.startHeapMiB + 64)
  })
})
