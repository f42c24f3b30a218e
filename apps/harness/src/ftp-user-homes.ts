import { chown, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DaemonUser } from './daemon.ts'
import { runCommand } from './run-command.ts'
import { ensureSystemUser, ftpShell } from './system-users.ts'

/** The unix accounts of the FTP daemons (made with `useradd -M -r`, shell /bin/sh for PAM). */
export const ftpUsers: readonly DaemonUser[] = [
  { user: 'netcftp1', pass: 'netc-ftp-1' },
  { user: 'netcftp2', pass: 'netc-ftp-2' },
]

/** The file every FTP root starts with, so that a download can be compared byte for byte. */
export const ftpWelcome = { name: 'welcome.txt', content: 'Hello from the netc harness.\r\nSecond line.\n' } as const

/** One FTP test user: the unix account its logins are (vsftpd, through PAM) or map to (pure-ftpd, ProFTPD). */
export interface FtpUserHome {
  readonly user: string
  readonly pass: string
  readonly uid: number
  readonly gid: number
  /** The user's root: `directory/ftp/USER`, owned by the user, holding `welcome.txt`. */
  readonly home: string
}

/**
 * prepareFtpUserHomes: for each of `ftpUsers` (netcftp1, netcftp2), the unix account (made if missing) and
 * a home under `directory/ftp` with `welcome.txt`, owned by the user: the roots of every FTP daemon.
 *
 * ```ts
 * const homes = await prepareFtpUserHomes(directory)
 * // [{ user: 'netcftp1', pass: 'netc-ftp-1', home: '/tmp/netc-proftpd-x/ftp/netcftp1', uid, gid }, ...]
 * ```
 */
export async function prepareFtpUserHomes(directory: string): Promise<FtpUserHome[]> {
  const homes: FtpUserHome[] = []
  for (const { user, pass } of ftpUsers) {
    const account = await ensureSystemUser(user, pass, ftpShell)
    const home = join(directory, 'ftp', user)
    await mkdir(home, { recursive: true })
    await writeFile(join(home, ftpWelcome.name), ftpWelcome.content)
    await chown(home, account.uid, account.gid)
    await chown(join(home, ftpWelcome.name), account.uid, account.gid)
    homes.push({ user, pass, uid: account.uid, gid: account.gid, home })
  }
  return homes
}

/** rootsOf: each user's root, by user name (`FtpDaemon.roots`). */
export function rootsOf(homes: readonly FtpUserHome[]): Record<string, string> {
  return Object.fromEntries(homes.map((entry) => [entry.user, entry.home]))
}

/**
 * sha512Crypt: a password as SHA-512 crypt (`$6$salt$...`, by `openssl passwd -6`), for the user files of
 * pure-ftpd and ProFTPD: fast to check, unlike pure-pw's own default (argon2id, t=127).
 */
export async function sha512Crypt(pass: string): Promise<string> {
  return (await runCommand('/usr/bin/openssl', ['passwd', '-6', '-stdin'], { input: pass })).stdout.trim()
}
