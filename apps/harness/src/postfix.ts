import { chmod, chown, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { makeCertificates } from './certificates.ts'
import type { Daemon, DaemonUser } from './daemon.ts'
import { daemonUrl } from './daemon.ts'
import { dovecotConfig } from './dovecot-config.ts'
import { mailOwner, writeDovecotUsers } from './dovecot.ts'
import { freePorts } from './free-port.ts'
import { postfixMainCf, postfixMasterCf } from './postfix-config.ts'
import type { ManagedProcess } from './process.ts'
import { ensureSystemUser, systemGroup, systemUser } from './system-users.ts'
import { startDaemon } from './daemon-start.ts'
import { waitForGreeting } from './wait-for-greeting.ts'

/** SMTP AUTH users (through a private dovecot's auth socket). */
export const smtpUsers: readonly DaemonUser[] = [
  { user: 'mailer', pass: 'mailer-smtp' },
  { user: 'dave', pass: 'd@ve:p/ss%' },
]

/** Mail to any address in this domain is kept in the instance's Maildir; all other mail is discarded. */
export const keepDomain = 'maildir.test'

/** SASL mechanisms postfix offers after STARTTLS (what its dovecot auth instance has). */
export const postfixMechanisms = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'] as const

/** A message the sink kept. */
export interface ReceivedMessage {
  /** The Maildir file name. */
  readonly file: string
  /** As delivered, with Return-Path, Delivered-To and Received headers added by postfix. */
  readonly content: Buffer
}

/** A postfix sink with SASL and TLS; it keeps the mail for `@maildir.test` (or all mail with `keepAll`). */
export interface SmtpDaemon extends Daemon {
  /** The Maildir that kept mail goes to. */
  readonly maildir: string
  /** The messages kept so far, oldest first. */
  received(): Promise<ReceivedMessage[]>
  /** Waits until at least `count` messages were kept (delivery is asynchronous); returns them all. */
  waitForReceived(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>
  /** postfix's own log (maillog_file): `status=sent (netc harness sink)` marks a discarded recipient. */
  log(): Promise<string>
}

/** Options for {@link startPostfix}. */
export interface PostfixOptions {
  /** Deliver every message into the Maildir, not only mail for {@link keepDomain}. Default false. */
  readonly keepAll?: boolean
  /**
   * postfix's `smtpd_timeout`: how long smtpd waits for the client before it says 421 and hangs up
   * (postfix's default is 300s). A short one lets tests see a server close idle connections.
   */
  readonly smtpdTimeout?: string
  /**
   * postfix's `default_process_limit`: at most this many smtpd (and cleanup) processes, so at most this
   * many SMTP sessions at once (postfix's default 100; a load test with 200 sessions needs more).
   */
  readonly processLimit?: number
  /**
   * Where the instance's directory (configuration, queue, Maildir) is made; default `$TMPDIR`. A benchmark
   * puts it on a memory file system, so that postfix's fsync of each queue file does not set the pace.
   */
  readonly parentDirectory?: string
}

/**
 * Starts postfix (`master -c DIR -d`, PID recorded) as a sink on 127.0.0.1: `port` with STARTTLS, AUTH after
 * TLS, PIPELINING, CHUNKING, 8BITMIME, SMTPUTF8; `tlsPort` with implicit TLS. SASL goes through a private
 * dovecot (`protocols = none`) started alongside.
 */
export async function startPostfix(options: PostfixOptions = {}): Promise<SmtpDaemon> {
  return startDaemon('postfix', async (scope) => {
    const directory = scope.directory
    const configDirectory = join(directory, 'etc')
    const [certificates, owner] = await Promise.all([makeCertificates(directory), ensureSystemUser(mailOwner)])
    await mkdir(configDirectory, { mode: 0o755 })
    await mkdir(join(directory, 'queue'), { mode: 0o755 })
    const maildir = join(directory, 'maildir')
    for (const sub of ['', 'cur', 'new', 'tmp']) {
      await mkdir(join(maildir, sub), { recursive: true })
      await chown(join(maildir, sub), owner.uid, owner.gid)
    }
    // SASL: a dovecot with no protocols, only an auth socket for smtpd.
    const authDirectory = join(directory, 'dovecot')
    await mkdir(authDirectory)
    const usersFile = join(authDirectory, 'users')
    await writeDovecotUsers(usersFile, smtpUsers, owner, authDirectory)
    const authConfig = join(authDirectory, 'dovecot.conf')
    await writeFile(
      authConfig,
      dovecotConfig({
        directory: authDirectory,
        usersFile,
        uid: owner.uid,
        certFile: certificates.certFile,
        keyFile: certificates.keyFile,
        mechanisms: postfixMechanisms.join(' ').toLowerCase(),
        authSocketName: 'auth-postfix',
      }),
    )
    const auth = scope.spawn('/usr/sbin/dovecot', ['-F', '-c', authConfig], { name: 'dovecot-auth', logFile: join(authDirectory, 'dovecot.out') })
    const [port, tlsPort] = (await freePorts(2)) as [number, number]
    await writeFile(
      join(configDirectory, 'main.cf'),
      postfixMainCf({
        directory,
        certFile: certificates.certFile,
        keyFile: certificates.keyFile,
        saslPath: join(authDirectory, 'run', 'auth-postfix'),
        keepDomain,
        keepAll: options.keepAll ?? false,
        smtpdTimeout: options.smtpdTimeout ?? '300s',
        mailUid: owner.uid,
        mailGid: owner.gid,
        ...(options.processLimit === undefined ? {} : { processLimit: options.processLimit }),
      }),
      { mode: 0o644 },
    )
    await writeFile(join(configDirectory, 'master.cf'), postfixMasterCf(port, tlsPort), { mode: 0o644 })
    await makeQueueDirectories(directory)
    // SIGTERM to master's PID is what `postfix -c DIR stop` sends (to pid/master.pid), without the 1.5 s of
    // postfix-script around it; master then stops its children, and leftovers of the group get SIGKILL.
    const master = scope.spawn('/usr/lib/postfix/sbin/master', ['-c', configDirectory, '-d'], {
      name: 'postfix',
      stopTimeoutMs: 10_000,
      logFile: join(directory, 'master.out'),
      env: { ...process.env, MAIL_CONFIG: configDirectory },
    })
    await waitForAuthSocket(join(authDirectory, 'run', 'auth-postfix'), auth)
    await waitForGreeting({ port, expect: /^220 /, goodbye: 'QUIT\r\n', process: master })
    await waitForGreeting({ port: tlsPort, expect: /^220 /, goodbye: 'QUIT\r\n', process: master, tlsCa: certificates.ca })
    const received = async (): Promise<ReceivedMessage[]> => {
      const files: { file: string; path: string }[] = []
      for (const sub of ['new', 'cur']) {
        for (const file of await readdir(join(maildir, sub))) files.push({ file, path: join(maildir, sub, file) })
      }
      files.sort((a, b) => deliveryTime(a.file) - deliveryTime(b.file) || a.file.localeCompare(b.file))
      return Promise.all(files.map(async ({ file, path }) => ({ file, content: await readFile(path) })))
    }
    const first = smtpUsers[0]!
    return {
      host: '127.0.0.1',
      port,
      tlsPort,
      users: smtpUsers,
      ca: certificates.ca,
      caFile: certificates.caFile,
      directory,
      maildir,
      urls: [
        `${daemonUrl('smtp', '127.0.0.1', port)}  (plain, STARTTLS; AUTH after STARTTLS as ${first.user}:${first.pass})`,
        `${daemonUrl('smtps', '127.0.0.1', tlsPort, first)}  (implicit TLS)`,
      ],
      received,
      async waitForReceived(count, timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs
        for (;;) {
          const messages = await received()
          if (messages.length >= count) return messages
          if (Date.now() > deadline) throw new Error(`postfix kept ${messages.length} of ${count} messages within ${timeoutMs} ms`)
          await sleep(50)
        }
      },
      log: () => readFile(join(directory, 'postfix.log'), 'utf8').catch(() => ''),
      stop: scope.stop,
    }
  }, options.parentDirectory)
}

/** virtual(8) names Maildir files `SECONDS.VdevIinodeMmicroseconds.host`: their delivery time, in µs. */
function deliveryTime(file: string): number {
  const match = /^(\d+)\.[^.]*M(\d+)/.exec(file)
  return match ? Number(match[1]) * 1e6 + Number(match[2]) : 0
}

/**
 * Makes the queue and data directories as `postfix check` (post-install) would, with postfix's owners and
 * modes: `postfix check` itself takes 3-4 s on these machines, this takes milliseconds. A bad config still
 * fails loudly: master ends, and the start error carries its log.
 */
async function makeQueueDirectories(directory: string): Promise<void> {
  const [postfixUser, postdrop] = await Promise.all([systemUser('postfix'), systemGroup('postdrop')])
  const queue = join(directory, 'queue')
  const owned: [string, number, number][] = [
    ...['active', 'bounce', 'corrupt', 'defer', 'deferred', 'flush', 'hold', 'incoming', 'private', 'saved', 'trace'].map(
      (name): [string, number, number] => [join(queue, name), postfixUser.uid, 0o700],
    ),
    [join(queue, 'maildrop'), postdrop, 0o730],
    [join(queue, 'public'), postdrop, 0o710],
    [join(directory, 'data'), postfixUser.uid, 0o700],
  ]
  await mkdir(join(queue, 'pid'), { mode: 0o755 })
  for (const [path, owner, mode] of owned) {
    await mkdir(path, { mode })
    await chmod(path, mode)
    // maildrop and public belong to postfix:postdrop; the others to postfix:root.
    await chown(path, postfixUser.uid, owner === postdrop ? postdrop : 0)
  }
}

async function waitForAuthSocket(path: string, auth: ManagedProcess): Promise<void> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (auth.hasExited()) throw new Error(`dovecot (auth) ended\n${auth.logTail()}`)
    try {
      await readdir(join(path, '..')).then((names) => {
        if (!names.includes('auth-postfix')) throw new Error('not yet')
      })
      return
    } catch {
      await sleep(25)
    }
  }
  throw new Error(`no dovecot auth socket at ${path}\n${auth.logTail()}`)
}
