// Each netc client through real proxies to real daemons, all started by the harness itself: dante 1.4
// (SOCKS5, without and with RFC 1929 user/password against a unix account) and tinyproxy 1.11 (HTTP
// CONNECT with Basic auth, ConnectPort limited to the daemon's ports) in front of vsftpd, postfix, dovecot
// and INN.
import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { FtpClient } from '@netc/ftp'
import { NntpClient } from '@netc/nntp'
import { Pop3Client } from '@netc/pop3'
import { SmtpClient } from '@netc/smtp'
import { ProxyError, type ProxyOption } from '@netc/transport'
import {
  freePort,
  ftpWelcome,
  keepDomain,
  startDante,
  startDovecot,
  startInn,
  startPostfix,
  startTinyproxy,
  startVsftpd,
  type Daemon,
  type ProxyDaemon,
} from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

let open: ProxyDaemon
let socks: ProxyDaemon
let blockedPort: number

daemonHooks(
  async () => {
    blockedPort = await freePort()
    const started = [await startDante(), await startDante({ auth: 'username', blockPorts: [blockedPort] })]
    return { proxies: started, stop: async () => void (await Promise.all(started.map((proxy) => proxy.stop()))) }
  },
  ({ proxies }) => {
    ;[open, socks] = proxies as [ProxyDaemon, ProxyDaemon]
  },
)

/** A daemon with a tinyproxy in front of it (its ConnectPort lines: `ports` of that daemon). */
interface Fronted<T extends Daemon> {
  daemon: T
  http: ProxyDaemon
  stop(): Promise<void>
}

function withTinyproxy<T extends Daemon>(start: () => Promise<T>, ports: (daemon: T) => number[]): () => Promise<Fronted<T>> {
  return async () => {
    const daemon = await start()
    try {
      const http = await startTinyproxy({ auth: 'basic', connectPorts: ports(daemon) })
      return { daemon, http, stop: async () => void (await Promise.all([http.stop(), daemon.stop()])) }
    } catch (error) {
      await daemon.stop()
      throw error
    }
  }
}

/** The three routes each client takes: SOCKS5 without auth, SOCKS5 with auth, HTTP CONNECT with auth. */
const routes = (http: ProxyDaemon): [string, ProxyOption][] => [
  ['dante, no auth', open.url],
  ['dante, username', socks.url],
  ['tinyproxy, basic', http.url],
]

const sink = (chunks: Buffer[]): Writable => new Writable({ write: (chunk: Buffer, _encoding, callback) => (chunks.push(chunk), callback()) })

describe('@netc/ftp through proxies to vsftpd', () => {
  let rig: Fronted<Awaited<ReturnType<typeof startVsftpd>>>
  daemonHooks(
    withTinyproxy(
      () => startVsftpd({ implicitTls: false }),
      (ftp) => [ftp.port, ...Array.from({ length: ftp.passivePorts.high - ftp.passivePorts.low + 1 }, (_, i) => ftp.passivePorts.low + i)],
    ),
    (started) => {
      rig = started
    },
  )

  it('logs in, lists and downloads in passive mode through each proxy (control and data both tunnelled)', async () => {
    for (const [name, proxy] of routes(rig.http)) {
      const { user, pass } = rig.daemon.users[0]!
      await using ftp = await FtpClient.connect({ host: rig.daemon.host, port: rig.daemon.port, user, password: pass, proxy })
      expect((await ftp.list()).map((entry) => entry.name), name).toContain(ftpWelcome.name)
      const chunks: Buffer[] = []
      await ftp.download(ftpWelcome.name, sink(chunks))
      expect(Buffer.concat(chunks).toString(), name).toBe(ftpWelcome.content)
    }
  })
})

describe('@netc/smtp through proxies to postfix', () => {
  let rig: Fronted<Awaited<ReturnType<typeof startPostfix>>>
  daemonHooks(withTinyproxy(startPostfix, (smtp) => [smtp.port]), (started) => {
    rig = started
  })

  it('STARTTLS and a message through each proxy', async () => {
    for (const [name, proxy] of routes(rig.http)) {
      const { host, port, ca } = rig.daemon
      await using smtp = await SmtpClient.connect({ host, port, name: 'client.netc.test', tls: { mode: 'required', ca }, proxy })
      expect(smtp.secure, name).toBe(true)
      const token = randomUUID()
      const result = await smtp.send({ from: 'sender@example.org', to: [`proxy@${keepDomain}`] }, `Subject: ${token}\r\n\r\nvia ${name}\r\n`)
      expect(result.accepted, name).toEqual([`proxy@${keepDomain}`])
      expect(result.response.code, name).toBe(250)
    }
  })
})

describe('@netc/pop3 through proxies to dovecot', () => {
  let rig: Fronted<Awaited<ReturnType<typeof startDovecot>>>
  daemonHooks(
    withTinyproxy(
      async () => {
        const dovecot = await startDovecot()
        await dovecot.fillMailbox('alice', ['Subject: one\r\n\r\nthrough a proxy\r\n'])
        return dovecot
      },
      (pop) => [pop.port],
    ),
    (started) => {
      rig = started
    },
  )

  it('STLS, login and a retrieval through each proxy', async () => {
    for (const [name, proxy] of routes(rig.http)) {
      const { host, port, ca } = rig.daemon
      await using pop = await Pop3Client.connect({ host, port, auth: { user: 'alice', pass: 'alice-pop3' }, tls: { mode: 'required', ca }, proxy })
      expect((await pop.stat()).count, name).toBe(1)
      expect((await pop.retrieve(1)).toString(), name).toContain('through a proxy')
    }
  })
})

describe('@netc/nntp through proxies to INN', () => {
  let rig: Fronted<Awaited<ReturnType<typeof startInn>>>
  daemonHooks(withTinyproxy(startInn, (news) => [news.port]), (started) => {
    rig = started
  })

  it('selects a group through each proxy', async () => {
    for (const [name, proxy] of routes(rig.http)) {
      await using news = await NntpClient.connect({ host: rig.daemon.host, port: rig.daemon.port, tlsOptions: { ca: rig.daemon.ca }, proxy })
      expect((await news.group('netc.misc')).name, name).toBe('netc.misc')
    }
  })

  it('refusals are typed: SOCKS5 without or with wrong credentials, a blocked port, HTTP 407 and 403', async () => {
    const { host, port } = rig.daemon
    const attempt = (proxy: string, to = port): Promise<unknown> =>
      NntpClient.connect({ host, port: to, proxy, timeouts: { connect: 10_000 } }).then(
        async (news) => {
          await news.close()
          throw new Error(`connected through ${proxy}`)
        },
        (error: unknown) => error,
      )
    const socksAt = `127.0.0.1:${socks.port}`
    const httpAt = `127.0.0.1:${rig.http.port}`
    const cases: [string, unknown, number | undefined, RegExp][] = [
      ['no credentials', await attempt(`socks5h://${socksAt}`), undefined, /accepts none of the offered authentication methods/],
      ['wrong password', await attempt(`socks5h://${socks.user!.user}:wrong@${socksAt}`), undefined, /refused the credentials/],
      ['blocked port', await attempt(socks.url, blockedPort), 2, /refused to connect to 127\.0\.0\.1:\d+: NotAllowed/],
      ['no HTTP credentials', await attempt(`http://${httpAt}`), 407, /407 Proxy Authentication Required \(it wants credentials\)/],
      ['port not in ConnectPort', await attempt(rig.http.url, blockedPort), 403, /refused CONNECT 127\.0\.0\.1:\d+: 403/],
    ]
    for (const [name, error, status, message] of cases) {
      expect(ProxyError.isInstance(error), name).toBe(true)
      expect((error as ProxyError).status, name).toBe(status)
      expect((error as ProxyError).message, name).toMatch(message)
      expect((error as ProxyError).message, name).not.toContain(socks.user!.pass)
    }
  })
})
