// Load: 200 concurrent @netc/nntp reader sessions against a real INN (innd handing each reader to an
// nnrpd), each reading a group's overview; every entry checked. The figures go to docs/RELIABILITY.md.
import { setTimeout as sleep } from 'node:timers/promises'
import { NntpClient } from '@netc/nntp'
import { formatLoadLine, LoadBarrier, LoadGate, LoadMeter } from '@netc/transport/testing'
import { describe, expect, it } from 'vitest'
import { makeArticle, startInn, type NntpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

const sessions = 200
/** Connects in flight at once: a burst of 200 SYNs overflows a daemon's listen backlog. */
const connectingAtOnce = 25
const group = 'netc.misc'
const articles = Array.from({ length: 50 }, (_, n) => makeArticle({ newsgroups: group, subject: `load ${n}`, body: `article ${n}\n` }))

let inn: NntpDaemon
daemonHooks(
  async () => {
    const daemon = await startInn()
    const fed = await daemon.feed(articles)
    if (fed.accepted.length !== articles.length) throw new Error(`INN took ${fed.accepted.length} of ${articles.length} articles`)
    // Fed articles reach readers a moment later: ask GROUP until they are all there (bounded).
    await using news = await NntpClient.connect({ host: daemon.host, port: daemon.port, tls: 'none' })
    for (let attempt = 0; (await news.group(group)).count < articles.length; attempt++) {
      if (attempt === 100) throw new Error(`${group} never reached ${articles.length} articles`)
      await sleep(100)
    }
    return daemon
  },
  (daemon) => {
    inn = daemon
  },
)

describe('load: @netc/nntp against INN', () => {
  it(`${sessions} concurrent readers read the overview of ${group}, every entry checked; descriptors and memory come back`, async () => {
    const expected = articles.map((article) => article.messageId).join()
    const meter = LoadMeter.start('nntp', 'inn', sessions)
    const errors: unknown[] = []
    const connecting = new LoadGate(connectingAtOnce)
    // Every session is open before any reads: 200 sessions at once, then 200 overview reads at once.
    const everyone = new LoadBarrier(sessions)
    await Promise.all(
      Array.from({ length: sessions }, async () => {
        let news: NntpClient | undefined
        try {
          news = await connecting.run(() => NntpClient.connect({ host: inn.host, port: inn.port, tls: 'none' }))
          everyone.arrive()
          await everyone.reached
          const info = await news.group(group)
          const ids: string[] = []
          for await (const entry of news.overview({ from: info.first, to: info.last })) ids.push(entry.messageId)
          meter.count(info.count === articles.length && ids.join() === expected)
          await news.close()
        } catch (error) {
          if (news === undefined) everyone.arrive()
          news?.destroy()
          meter.count(false)
          errors.push(error)
        }
      }),
    )
    const figures = await meter.finish()
    console.log(formatLoadLine(figures))
    expect(errors).toEqual([])
    expect(figures).toMatchObject({ failures: 0, operations: sessions })
    // Back near the start: no descriptor left (2 of slack for the runner's own files), heap within 64 MiB.
    expect(figures.fdsAfter).toBeLessThanOrEqual((figures.fdsBefore ?? 0) + 2)
    expect(figures.endHeapMiB).toBeLessThan(figures.startHeapMiB + 64)
  })
})
