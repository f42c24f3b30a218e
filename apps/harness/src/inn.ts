import { chmod, cp, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeCertificates } from './certificates.ts'
import type { Daemon, DaemonUser } from './daemon.ts'
import { daemonUrl } from './daemon.ts'
import { freePorts } from './free-port.ts'
import { activeFile, innConf, innEtcFiles, newsGroups, newsgroupsFile } from './inn-config.ts'
import type { NewsGroup } from './inn-config.ts'
import { feedArticles } from './nntp-feed.ts'
import type { Article, FeedResult } from './nntp-feed.ts'
import { waitForExit } from './process.ts'
import { runCommand } from './run-command.ts'
import { systemUser } from './system-users.ts'
import { startDaemon } from './daemon-start.ts'
import { waitForGreeting } from './wait-for-greeting.ts'

/** The address innd treats as its feeding peer (incoming.conf); every other client is a reader. */
export const feederAddress = '127.0.0.2'

/** AUTHINFO USER/PASS logins (ckpasswd), offered after STARTTLS or on the NNTPS port. Anonymous may read and post too. */
export const nntpUsers: readonly DaemonUser[] = [{ user: 'reader', pass: 'reader-nntp' }]

/** An INN instance: innd on `port` (readers get nnrpd, with STARTTLS), a standalone nnrpd for NNTPS on `tlsPort`. */
export interface NntpDaemon extends Daemon {
  readonly groups: readonly NewsGroup[]
  /** The article spool (tradspool: one file per article, under group directories). */
  readonly spool: string
  /** Feeds articles through the feeding peer (127.0.0.2, MODE STREAM + TAKETHIS): thousands per second. */
  feed(articles: readonly (Article | Buffer | string)[]): Promise<FeedResult>
}

const innBin = '/usr/lib/news/bin'

/** Options for {@link startInn}. */
export interface InnOptions {
  /** nnrpd's `clienttimeout` in seconds: readers idle this long are dropped (default 1800, INN's). */
  readonly clientTimeout?: number
}

/**
 * Starts INN 2 (`innd -f`, as news, PID recorded) on 127.0.0.1 with the groups {@link newsGroups}, overview
 * on, reading and posting for loopback readers, 127.0.0.2 as its only feeding peer; and `nnrpd -D -f -S` for
 * NNTPS. Stopped with `ctlinnd shutdown`, then by PID.
 */
export async function startInn(options: InnOptions = {}): Promise<NntpDaemon> {
  return startDaemon('inn', async (scope) => {
    const directory = scope.directory
    const env = { ...process.env, INNCONF: join(directory, 'etc', 'inn.conf') }
    const news = await systemUser('news')
    const [port, tlsPort] = (await freePorts(2)) as [number, number]
    const etc = join(directory, 'etc')
    await cp('/etc/news', etc, { recursive: true })
    const tls = join(directory, 'tls')
    await mkdir(tls)
    const certificates = await makeCertificates(tls)
    const tlsFiles = { certFile: certificates.certFile, keyFile: certificates.keyFile, caFile: certificates.caFile }
    await writeFile(join(etc, 'inn.conf'), innConf({ directory, port, ...tlsFiles, ...(options.clientTimeout === undefined ? {} : { clientTimeout: options.clientTimeout }) }))
    const passwordFile = join(etc, 'passwd.nntp')
    const hashes = await Promise.all(nntpUsers.map(async ({ user, pass }) => `${user}:${(await runCommand('/usr/bin/openssl', ['passwd', '-6', '-stdin'], { input: pass })).stdout.trim()}`))
    await writeFile(passwordFile, `${hashes.join('\n')}\n`)
    for (const [name, content] of Object.entries(innEtcFiles(feederAddress, passwordFile))) await writeFile(join(etc, name), content)
    const db = join(directory, 'db')
    await mkdir(db)
    await writeFile(join(db, 'active'), activeFile())
    await writeFile(join(db, 'active.times'), '')
    await writeFile(join(db, 'newsgroups'), newsgroupsFile())
    await writeFile(join(db, 'history'), '')
    for (const sub of ['run', 'log', 'http', 'spool/articles', 'spool/overview', 'spool/incoming/tmp', 'spool/outgoing', 'spool/archive']) {
      await mkdir(join(directory, sub), { recursive: true })
    }
    await runCommand('/bin/chown', ['-R', `${news.uid}:${news.gid}`, etc, db, tls, ...['run', 'log', 'http', 'spool'].map((sub) => join(directory, sub))])
    await chmod(certificates.keyFile, 0o600)
    await chmod(passwordFile, 0o600)
    await runCommand(join(innBin, 'makedbz'), ['-i', '-o'], { env, cwd: db, uid: news.uid, gid: news.gid })
    const innd = scope.spawn(join(innBin, 'innd'), ['-f'], { name: 'innd', logFile: join(directory, 'log', 'innd.out'), env, uid: news.uid, gid: news.gid, cwd: directory })
    // innd is asked to shut down (it flushes its history and overview), then stopped by PID if still there.
    scope.beforeStop(async () => {
      if (innd.hasExited()) return
      await runCommand(join(innBin, 'ctlinnd'), ['-t', '20', 'shutdown', 'netc harness stop'], { env, uid: news.uid, gid: news.gid, timeoutMs: 25_000 }).catch(
        () => undefined,
      )
      await waitForExit(innd, 5_000)
    })
    await waitForGreeting({ port, expect: /^20[01] /, goodbye: 'QUIT\r\n', process: innd })
    const nnrpd = scope.spawn(join(innBin, 'nnrpd'), ['-D', '-f', '-b', '127.0.0.1', '-p', String(tlsPort), '-S'], {
      name: 'nnrpd-tls',
      logFile: join(directory, 'log', 'nnrpd-tls.out'),
      env,
      uid: news.uid,
      gid: news.gid,
      cwd: directory,
    })
    await waitForGreeting({ port: tlsPort, expect: /^20[01] /, goodbye: 'QUIT\r\n', process: nnrpd, tlsCa: certificates.ca })
    return {
      host: '127.0.0.1',
      port,
      tlsPort,
      users: nntpUsers,
      ca: certificates.ca,
      caFile: certificates.caFile,
      directory,
      groups: newsGroups,
      spool: join(directory, 'spool', 'articles'),
      urls: [
        `${daemonUrl('nntp', '127.0.0.1', port)}  (reader, anonymous; STARTTLS, then AUTHINFO ${nntpUsers[0]!.user}:${nntpUsers[0]!.pass})`,
        `${daemonUrl('nntps', '127.0.0.1', tlsPort)}  (implicit TLS, standalone nnrpd)`,
        `feeding peer: connect from ${feederAddress} to port ${port}`,
      ],
      feed: (articles) => feedArticles(port, feederAddress, articles),
      stop: scope.stop,
    }
  })
}
