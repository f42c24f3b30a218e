// @netc/pop3 against a real dovecot 2.3 (started by the harness itself: POP3 with STLS, and POP3S).
import { Pop3Client, Pop3ReplyError } from '@netc/pop3'
import { describe, expect, it } from 'vitest'
import { startDovecot, type Pop3Daemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

let dovecot: Pop3Daemon
const [alice, bob, carol] = [
  { user: 'alice', pass: 'alice-pop3' },
  { user: 'bob', pass: 'bob-pop3' },
  { user: 'carol', pass: 'c@rol:p/ss%' },
]
const message = (n: number): string => `From: netc@example.com\r\nSubject: message ${n}\r\n\r\nbody of ${n}\r\n`
const tricky = Buffer.from('Subject: tricky\r\n\r\n..\r\n.\r\n..leading dot\r\nend\r\n')
const big = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(2 * 1024 * 1024, 'x'), Buffer.from('\r\n')])

daemonHooks(
  async () => {
    const daemon = await startDovecot()
    await daemon.fillMailbox('alice', [message(1), tricky, big, message(4)])
    return daemon
  },
  (daemon) => {
    dovecot = daemon
  },
)

function connect(who: { user: string; pass: string }, options: Parameters<typeof Pop3Client.connect>[1] = {}): Promise<Pop3Client> {
  return Pop3Client.connect({ host: dovecot.host, port: dovecot.port, auth: who, tls: { ca: dovecot.ca }, ...options })
}

describe('@netc/pop3 against dovecot', () => {
  it('upgrades with STLS, asks CAPA again, and logs in with the strongest mechanism (SCRAM-SHA-256)', async () => {
    await using pop = await connect(alice)
    expect(pop.secure).toBe(true)
    expect(pop.loginMethod).toBe('SCRAM-SHA-256')
    expect(pop.greeting.timestamp).toMatch(/^<.+@.+>$/)
    expect(pop.capabilities).toMatchObject({ stls: false, pipelining: true, uidl: true, top: true, respCodes: true, authRespCode: true })
  })

  it.each(['USER', 'APOP', 'PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'])('logs in with %s', async (mechanism) => {
    await using pop = await connect(bob, { mechanism })
    expect(pop.loginMethod).toBe(mechanism)
    expect(pop.state).toBe('transaction')
    await pop.noop()
  })

  it('logs in from a URL with a percent-encoded password, over POP3S', async () => {
    const url = `pop3s://${encodeURIComponent(carol.user)}:${encodeURIComponent(carol.pass)}@${dovecot.host}:${dovecot.tlsPort}`
    await using pop = await Pop3Client.connect(url, { tls: { ca: dovecot.ca } })
    expect(pop.secure).toBe(true)
    expect(pop.connection.tlsInfo?.authorized).toBe(true)
    expect(await pop.stat()).toEqual({ count: 0, size: 0 })
  })

  it('surfaces [AUTH] for a wrong password', async () => {
    const error = await connect({ user: 'bob', pass: 'wrong' }, { mechanism: 'USER' }).catch((e: unknown) => e)
    expect(Pop3ReplyError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ respCode: 'AUTH', message: 'PASS **** failed: -ERR [AUTH] Authentication failed.' })
  })

  it('retrieves exact octets (dot lines, a lone dot, 2 MB), streams, tops and identifies', async () => {
    await using pop = await connect(alice)
    const list = await pop.list()
    expect(list.map((entry) => entry.size)).toEqual([Buffer.byteLength(message(1)), tricky.length, big.length, Buffer.byteLength(message(4))])
    expect((await pop.retrieve(1)).toString()).toBe(message(1))
    expect((await pop.retrieve(2)).equals(tricky)).toBe(true)
    expect((await pop.retrieve(3)).equals(big)).toBe(true)
    const chunks: Buffer[] = []
    for await (const chunk of await pop.retrieveStream(3)) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).equals(big)).toBe(true)
    expect((await pop.top(1, 0)).toString()).toBe('From: netc@example.com\r\nSubject: message 1\r\n\r\n')
    const uids = await pop.uidl()
    expect(uids).toHaveLength(4)
    expect(await pop.uidl(2)).toEqual(uids[1])
    expect(new Set(uids.map((entry) => entry.uid)).size).toBe(4)
  })

  it('delete then reset keeps the message', async () => {
    await using pop = await connect(alice)
    await pop.delete(1)
    expect((await pop.stat()).count).toBe(3)
    await expect(pop.retrieve(1)).rejects.toThrow(Pop3ReplyError)
    await pop.reset()
    expect((await pop.stat()).count).toBe(4)
  })

  it('destroy without QUIT deletes nothing; delete then QUIT is gone next session', async () => {
    const first = await connect(alice)
    await first.delete(4)
    first.destroy()
    const second = await connect(alice)
    expect((await second.stat()).count).toBe(4)
    const gone = await second.uidl(4)
    await second.delete(4)
    await second.close()
    await using third = await connect(alice)
    expect((await third.stat()).count).toBe(3)
    expect((await third.uidl()).map((entry) => entry.uid)).not.toContain(gone.uid)
  })

  it('pipelines retrieveAll with deletion over POP3S, and skips known ids', async () => {
    const messages = Array.from({ length: 60 }, (_, i) => message(100 + i))
    await dovecot.fillMailbox('bob', messages)
    let known: Set<string>
    {
      await using pop = await Pop3Client.connect({ host: dovecot.host, port: dovecot.tlsPort!, tls: { mode: 'implicit', ca: dovecot.ca }, auth: bob })
      known = new Set((await pop.uidl()).slice(0, 10).map((entry) => entry.uid))
      const bodies: string[] = []
      for await (const item of pop.retrieveAll({ since: known, delete: true, window: 16 })) bodies.push(item.body.toString())
      expect(bodies).toEqual(messages.slice(10))
    }
    await using pop = await connect(bob)
    expect((await pop.stat()).count).toBe(10)
    expect(new Set((await pop.uidl()).map((entry) => entry.uid))).toEqual(known)
  })
})
