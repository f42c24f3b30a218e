// Reconnect policies against real daemons (issue 9): an SmtpPool against a postfix that hangs up on idle
// clients (smtpd_timeout), every message delivered exactly once; an INN that drops idle readers
// (clienttimeout), as the NNTP reader expects it to.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ClosedError, NntpClient, NntpReader } from '@netc/nntp'
import { SmtpPool, isDeliveryUncertain } from '@netc/smtp'
import { keepDomain, makeArticle, startInn, startPostfix, type NntpDaemon, type SmtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('SmtpPool against a postfix that closes idle connections (smtpd_timeout 1s)', () => {
  let postfix: SmtpDaemon
  daemonHooks(
    () => startPostfix({ smtpdTimeout: '1s' }),
    (daemon) => {
      postfix = daemon
    },
  )

  it('messages with idle gaps longer than smtpd_timeout: each delivered exactly once, on new connections', async () => {
    const run = randomUUID().slice(0, 8)
    const rounds = 4
    const perRound = 6
    await using pool = new SmtpPool({ host: postfix.host, port: postfix.port, tls: 'none', name: 'client.netc.test', maxConnections: 3 })
    const outcomes: Array<PromiseSettledResult<unknown>> = []
    for (let round = 0; round < rounds; round++) {
      const sends = Array.from({ length: perRound }, (_, i) => {
        const n = round * perRound + i
        return pool.send({ from: 'sender@example.org', to: [`gap${n}@${keepDomain}`] }, `From: <sender@example.org>\r\nSubject: gap ${run} ${n}\r\n\r\nround ${round}\r\n`)
      })
      outcomes.push(...(await Promise.allSettled(sends)))
      await pause(1600) // longer than smtpd_timeout: postfix says 421 and hangs up on every pooled connection
    }
    const uncertain = outcomes.filter((outcome) => outcome.status === 'rejected' && isDeliveryUncertain(outcome.reason))
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([])
    expect(uncertain).toEqual([])
    const total = rounds * perRound
    const received = await postfix.waitForReceived(total, 30_000)
    const subjects = received.map((m) => new RegExp(`Subject: gap ${run} (\\d+)`).exec(m.content.toString())?.[1]).filter((s) => s !== undefined)
    expect(subjects).toHaveLength(total) // none twice
    expect(new Set(subjects).size).toBe(total) // none lost
    // postfix really hung up on the idle connections (as many times as there were gaps, per connection).
    const log = await postfix.log()
    expect((log.match(/timeout after (END-OF-MESSAGE|RSET|MAIL|EHLO|NOOP|CONNECT)/g) ?? []).length).toBeGreaterThanOrEqual(rounds)
    // And the pool opened new connections for each round rather than failing on the dead ones.
    expect((log.match(/connect from localhost\[127\.0\.0\.1\]/g) ?? []).length).toBeGreaterThanOrEqual(rounds)
  })
})

describe('INN that drops idle readers (clienttimeout 2s)', () => {
  let inn: NntpDaemon
  daemonHooks(
    () => startInn({ clientTimeout: 2 }),
    (daemon) => {
      inn = daemon
    },
  )

  it('nnrpd hangs up on a reader idle longer than clienttimeout, without a word; a new connection reads on', async () => {
    const fed = await inn.feed(Array.from({ length: 5 }, (_, n) => makeArticle({ newsgroups: 'netc.misc', subject: `idle ${n}`, body: `body ${n}\n` })))
    expect(fed.accepted).toHaveLength(5)
    const news = await NntpClient.connect({ host: inn.host, port: inn.port, tls: 'none' })
    const group = await news.group('netc.misc')
    await pause(3000)
    // The client sees the hang-up while idle (state 'closed'), so a reconnecting reader needs no failed read to notice it.
    expect(news.state).toBe('closed')
    const error = await news.article(group.first).catch((thrown: unknown) => thrown)
    expect(ClosedError.isInstance(error)).toBe(true)
    await using again = await NntpClient.connect({ host: inn.host, port: inn.port, tls: 'none' })
    await again.group('netc.misc')
    expect((await again.article(group.first)).headers.get('subject')).toMatch(/^idle \d$/)
  })

  it('NntpReader reads on across idle hang-ups: it reconnects, re-enters the group and repeats the read', async () => {
    const fed = await inn.feed(Array.from({ length: 3 }, (_, n) => makeArticle({ newsgroups: 'netc.misc', subject: `reader ${n}`, body: `body ${n}\n` })))
    expect(fed.accepted).toHaveLength(3)
    await using reader = await NntpReader.connect({ host: inn.host, port: inn.port, tls: 'none' })
    const group = await reader.group('netc.misc')
    for (let round = 0; round < 2; round++) {
      await pause(2600) // longer than clienttimeout: nnrpd hangs up while the reader is idle
      expect((await reader.article(group.first)).headers.get('subject')).toMatch(/^(idle|reader) \d$/)
      let entries = 0
      for await (const entry of reader.overview({ from: group.first, to: group.last })) if (entry.number >= group.first) entries++
      expect(entries).toBe(group.last - group.first + 1)
    }
    expect(reader.reconnects).toBe(2)
  })
})
