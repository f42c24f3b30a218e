import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { makeArticle, startInn } from '../src/index.ts'
import type { NntpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'
import { runClient } from './run-client.ts'

let inn: NntpDaemon

daemonHooks(startInn, (daemon) => {
  inn = daemon
})

const script = fileURLToPath(new URL('fixtures/nntp_client.py', import.meta.url))
/** Debian's python3 (3.11, still with nntplib), which install-debian.sh installs; a PATH shim costs ~1 s a call. */
const python = process.env.NETC_HARNESS_PYTHON ?? '/usr/bin/python3'

interface Spec {
  tls?: 'none' | 'starttls' | 'implicit'
  user?: string
  pass?: string
  actions: unknown[][]
}

/** Runs the nntplib script (Python's own NNTP client) and returns its JSON results, one per action. */
async function nntplib(spec: Spec): Promise<unknown[]> {
  const port = spec.tls === 'implicit' ? inn.tlsPort : inn.port
  const result = await runClient(python, [script, JSON.stringify({ ...spec, port, ca: inn.caFile })])
  if (result.code !== 0) throw new Error(`nntplib failed (${result.code}): ${result.stderr}`)
  return JSON.parse(result.stdout.toString()) as unknown[]
}

describe('INN, reader (nnrpd behind innd)', () => {
  it('greets as a reader with posting, lists its groups and capabilities', async () => {
    const [caps] = (await nntplib({ actions: [['caps']] })) as [{ welcome: string; capabilities: string[]; groups: string[] }]
    expect(caps.welcome).toMatch(/^200 .*posting ok/)
    expect(caps.capabilities).toEqual(expect.arrayContaining(['READER', 'OVER', 'POST', 'STARTTLS', 'HDR']))
    expect(caps.groups).toEqual(expect.arrayContaining(inn.groups.map((group) => group.name)))
  })

  it('posts, then reads the article back through GROUP, OVER and ARTICLE', async () => {
    const token = randomUUID()
    const article = `From: Poster <poster@example.org>\r\nNewsgroups: netc.test\r\nSubject: posted ${token}\r\n\r\nBody ${token}\r\n.starts with a dot\r\n`
    const [post, , over, read] = (await nntplib({
      actions: [['post', article], ['wait', 'netc.test', 1], ['over', 'netc.test'], ['article', 'netc.test', 'last']],
    })) as [{ response: string }, unknown, { subject: string }[], { lines: string[] }]
    expect(post.response).toMatch(/^240/)
    expect(over.map((entry) => entry.subject)).toContain(`posted ${token}`)
    expect(read.lines).toContain(`Subject: posted ${token}`)
    expect(read.lines.slice(read.lines.indexOf('') + 1)).toEqual([`Body ${token}`, '.starts with a dot'])
  })
})

describe('INN, feeding peer (127.0.0.2, MODE STREAM + TAKETHIS)', () => {
  it('takes 50 articles, and readers see them in order with overview', async () => {
    const token = randomUUID()
    const articles = Array.from({ length: 50 }, (_, n) => makeArticle({ newsgroups: 'netc.misc', subject: `fed ${n} ${token}`, body: `fed body ${n}\n..two dots` }))
    const result = await inn.feed(articles)
    expect(result.rejected).toEqual([])
    expect(result.accepted).toEqual(articles.map((article) => article.messageId))
    const again = await inn.feed(articles.slice(0, 1))
    expect(again.rejected.map((rejection) => rejection.reply)).toEqual([expect.stringMatching(/^439 /)])
    const [, over, last] = (await nntplib({ actions: [['wait', 'netc.misc', 50], ['over', 'netc.misc'], ['article', 'netc.misc', 'last']] })) as [
      unknown,
      { subject: string; 'message-id': string }[],
      { 'message-id': string; lines: string[] },
    ]
    expect(over.map((entry) => entry.subject)).toEqual(articles.map((_, n) => `fed ${n} ${token}`))
    expect(last['message-id']).toBe(articles[49]!.messageId)
    expect(last.lines.slice(last.lines.indexOf('') + 1)).toEqual(['fed body 49', '..two dots'])
  })

  it('fills 2,000 articles in seconds', async () => {
    const started = Date.now()
    const articles = Array.from({ length: 2000 }, (_, n) => makeArticle({ newsgroups: 'netc.empty', subject: `bulk ${n}`, body: 'x'.repeat(1024) }))
    const result = await inn.feed(articles)
    expect(result.accepted).toHaveLength(2000)
    const [group] = (await nntplib({ actions: [['wait', 'netc.empty', 2000]] })) as [{ count: number }]
    expect(group.count).toBe(2000)
    expect(Date.now() - started).toBeLessThan(20_000)
  })
})

describe('INN with TLS', () => {
  it('STARTTLS, then AUTHINFO USER/PASS, then reads', async () => {
    const { user, pass } = inn.users[0]!
    const [group] = (await nntplib({ tls: 'starttls', user, pass, actions: [['group', 'netc.misc']] })) as [{ count: number; name: string }]
    expect(group.name).toBe('netc.misc')
    expect(group.count).toBeGreaterThanOrEqual(50)
  })

  it('NNTPS on tlsPort (standalone nnrpd), verified against the harness CA', async () => {
    const [caps, group] = (await nntplib({ tls: 'implicit', actions: [['caps'], ['group', 'netc.test']] })) as [{ welcome: string }, { name: string }]
    expect(caps.welcome).toMatch(/^200 /)
    expect(group.name).toBe('netc.test')
  })

  it('rejects a wrong password', async () => {
    await expect(nntplib({ tls: 'starttls', user: 'reader', pass: 'wrong', actions: [['group', 'netc.test']] })).rejects.toThrow(/481/)
  })
})
