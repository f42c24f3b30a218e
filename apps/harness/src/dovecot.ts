import { chown, mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeCertificates } from './certificates.ts'
import type { Daemon, DaemonUser } from './daemon.ts'
import { daemonUrl } from './daemon.ts'
import { dovecotConfig } from './dovecot-config.ts'
import { freePorts } from './free-port.ts'
import { ensureSystemUser } from './system-users.ts'
import type { SystemUser } from './system-users.ts'
import { startDaemon } from './daemon-start.ts'
import { waitForGreeting } from './wait-for-greeting.ts'

/** The POP3 users (dovecot passwd-file, not unix accounts); carol's password needs percent-encoding in URLs. */
export const pop3Users: readonly DaemonUser[] = [
  { user: 'alice', pass: 'alice-pop3' },
  { user: 'bob', pass: 'bob-pop3' },
  { user: 'carol', pass: 'c@rol:p/ss%' },
]

/** SASL mechanisms dovecot offers here (AUTH, and APOP in the greeting). */
export const dovecotMechanisms = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256', 'APOP'] as const

/** The unix account that owns every harness mailbox (dovecot needs a real uid for its users). */
export const mailOwner = 'netcmail'

/** A dovecot POP3 instance with mailboxes that tests fill directly. */
export interface Pop3Daemon extends Daemon {
  /** `${mailRoot}/USER/Maildir` is USER's mailbox. */
  readonly mailRoot: string
  /**
   * Puts messages into `user`'s Maildir/cur (as unread, in this order, after what is there): no SMTP, no
   * delivery agent, thousands per second. Takes effect at the user's next login.
   */
  fillMailbox(user: string, messages: readonly (Buffer | string)[]): Promise<void>
}

/** Writes the passwd-file: `user:{PLAIN.b64}BASE64(pass):uid:gid::home` (base64 lets a password hold `:`). */
export async function writeDovecotUsers(file: string, users: readonly DaemonUser[], owner: SystemUser, mailRoot: string): Promise<void> {
  const lines = users.map(({ user, pass }) => `${user}:{PLAIN.b64}${Buffer.from(pass).toString('base64')}:${owner.uid}:${owner.gid}::${join(mailRoot, user)}::`)
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o644 })
}

let fillCounter = 0

/** Options for {@link startDovecot}. */
export interface DovecotOptions {
  /** Raise dovecot's process and per-user connection limits (see DovecotConfigOptions `limits`) for a load test. */
  readonly limits?: { readonly processLimit: number; readonly userIpConnections: number }
}

/**
 * Starts dovecot (`dovecot -F -c CONF`, foreground, PID recorded) with POP3 on 127.0.0.1: `port` offers
 * USER/PASS, SASL and STLS; `tlsPort` is POP3S. Users alice, bob and carol; mechanisms {@link dovecotMechanisms}.
 */
export async function startDovecot(options: DovecotOptions = {}): Promise<Pop3Daemon> {
  return startDaemon('dovecot', async (scope) => {
    const directory = scope.directory
    const [certificates, owner] = await Promise.all([makeCertificates(directory), ensureSystemUser(mailOwner)])
    const mailRoot = join(directory, 'mail')
    for (const { user } of pop3Users) {
      for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(mailRoot, user, 'Maildir', sub), { recursive: true })
      for (const path of [mailRoot, join(mailRoot, user), join(mailRoot, user, 'Maildir'), ...['cur', 'new', 'tmp'].map((sub) => join(mailRoot, user, 'Maildir', sub))]) {
        await chown(path, owner.uid, owner.gid)
      }
    }
    const usersFile = join(directory, 'users')
    await writeDovecotUsers(usersFile, pop3Users, owner, mailRoot)
    const [port, tlsPort] = (await freePorts(2)) as [number, number]
    const config = join(directory, 'dovecot.conf')
    await writeFile(
      config,
      dovecotConfig({
        directory,
        usersFile,
        uid: owner.uid,
        certFile: certificates.certFile,
        keyFile: certificates.keyFile,
        mechanisms: dovecotMechanisms.join(' ').toLowerCase(),
        pop3: { port, tlsPort },
        mailRoot,
        ...(options.limits === undefined ? {} : { limits: options.limits }),
      }),
    )
    const child = scope.spawn('/usr/sbin/dovecot', ['-F', '-c', config], { name: 'dovecot', logFile: join(directory, 'dovecot.out'), stopTimeoutMs: 5_000 })
    await waitForGreeting({ port, expect: /^\+OK/, goodbye: 'QUIT\r\n', process: child })
    await waitForGreeting({ port: tlsPort, expect: /^\+OK/, goodbye: 'QUIT\r\n', process: child, tlsCa: certificates.ca })
    const first = pop3Users[0]!
    return {
      host: '127.0.0.1',
      port,
      tlsPort,
      users: pop3Users,
      ca: certificates.ca,
      caFile: certificates.caFile,
      directory,
      mailRoot,
      urls: [
        `${daemonUrl('pop3', '127.0.0.1', port, first)}  (plain, or STLS)`,
        `${daemonUrl('pop3s', '127.0.0.1', tlsPort, first)}  (implicit TLS)`,
      ],
      async fillMailbox(user, messages) {
        if (!pop3Users.some((known) => known.user === user)) throw new Error(`fillMailbox: no POP3 user ${user}`)
        const maildir = join(mailRoot, user, 'Maildir')
        const stamp = Math.floor(Date.now() / 1000)
        for (const message of messages) {
          const body = typeof message === 'string' ? Buffer.from(message) : message
          // Dovecot orders new files by name: a zero-padded counter keeps the order given.
          const name = `${stamp}.M${String(++fillCounter).padStart(8, '0')}P${process.pid}.netc-harness,S=${body.length}`
          const temporary = join(maildir, 'tmp', name)
          await writeFile(temporary, body)
          await chown(temporary, owner.uid, owner.gid)
          await rename(temporary, join(maildir, 'cur', `${name}:2,`))
        }
      },
      stop: scope.stop,
    }
  })
}
