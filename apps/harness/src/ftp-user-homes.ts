import { chown, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCommand } from './run-command.ts'
import { ensureSystemUser, ftpShell } from './system-users.ts'
import { ftpUsers, ftpWelcome } from './vsftpd.ts'

/** One FTP test user of a virtual-user server (pure-ftpd, ProFTPD): the unix account its logins map to. */
export interface FtpUserHome {
  readonly user: string
  readonly pass: string
  readonly uid: number
  readonly gid: number
  /** The user's root: `directory/ftp/USER`, owned by the user, holding `welcome.txt`. */
  readonly home: string
  /** The password as SHA-512 crypt (`$6$...`): fast to check, unlike pure-pw's argon2id default. */
  readonly hash: string
}

/**
 * prepareFtpUserHomes: for each of `ftpUsers` (netcftp1, netcftp2), the unix account (made if missing), a
 * home under `directory/ftp` with `welcome.txt`, and the password's SHA-512 crypt, for a server's own
 * user file (pure-ftpd's puredb, ProFTPD's AuthUserFile).
 *
 * ```ts
 * const homes = await prepareFtpUserHomes(directory)
 * // [{ user: 'netcftp1', home: '/tmp/netc-proftpd-x/ftp/netcftp1', hash: '$6$...', uid, gid, pass }, ...]
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
    const hash = (await runCommand('/usr/bin/openssl', ['passwd', '-6', '-stdin'], { input: pass })).stdout.trim()
    homes.push({ user, pass, uid: account.uid, gid: account.gid, home, hash })
  }
  return homes
}

/** rootsOf: each user's root, by user name (`FtpDaemon.roots`). */
export function rootsOf(homes: readonly FtpUserHome[]): Record<string, string> {
  return Object.fromEntries(homes.map((entry) => [entry.user, entry.home]))
}
