import { readFile } from 'node:fs/promises'
import { runCommand } from './run-command.ts'

/** A unix account that the harness made (or found) for a daemon. */
export interface SystemUser {
  readonly user: string
  readonly uid: number
  readonly gid: number
  readonly home: string
}

/** The login shell of harness FTP accounts; PAM (pam_shells) refuses shells missing from /etc/shells. */
export const ftpShell = '/bin/sh'

let queue: Promise<unknown> = Promise.resolve()

async function lookup(user: string): Promise<SystemUser | undefined> {
  try {
    const { stdout } = await runCommand('/usr/bin/getent', ['passwd', user])
    const fields = stdout.trim().split(':')
    return { user, uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? '' }
  } catch {
    return undefined
  }
}

/** Whether /etc/shadow already holds `pass` for `user` (so that most starts write nothing to it). */
async function passwordMatches(user: string, pass: string): Promise<boolean> {
  const line = (await readFile('/etc/shadow', 'utf8')).split('\n').find((entry) => entry.startsWith(`${user}:`))
  const hash = line?.split(':')[1] ?? ''
  const salt = /^\$6\$([^$]+)\$/.exec(hash)?.[1]
  if (salt === undefined) return false
  const { stdout } = await runCommand('/usr/bin/openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: pass })
  return stdout.trim() === hash
}

/** chpasswd, retried: another harness process may hold the /etc/shadow lock for a moment. */
async function setPassword(user: string, pass: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await runCommand('/usr/sbin/chpasswd', ['--crypt-method', 'SHA512'], { input: `${user}:${pass}\n` })
      return
    } catch (error) {
      if (attempt >= 5) throw error
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
    }
  }
}

async function ensure(user: string, pass: string | undefined, shell: string, home: string): Promise<SystemUser> {
  if (process.getuid?.() !== 0) throw new Error(`the harness runs as root (it makes unix user ${user}); run it with sudo`)
  if (shell === ftpShell) {
    const shells = (await readFile('/etc/shells', 'utf8')).split('\n').map((line) => line.trim())
    if (!shells.includes(shell)) throw new Error(`${shell} is not in /etc/shells: run apps/harness/scripts/install-debian.sh`)
  }
  let found = await lookup(user)
  if (!found) {
    try {
      await runCommand('/usr/sbin/useradd', ['-M', '-r', '-s', shell, '-d', home, '-c', 'netc harness', user])
    } catch (error) {
      // Another harness process may have made it at the same moment.
      if (!(await lookup(user))) throw error
    }
    found = await lookup(user)
    if (!found) throw new Error(`useradd made no user ${user}`)
  }
  if (found.home !== home) {
    await runCommand('/usr/sbin/usermod', ['-d', home, user])
    found = { ...found, home }
  }
  if (pass !== undefined && !(await passwordMatches(user, pass))) await setPassword(user, pass)
  return found
}

/**
 * Makes the unix account `user` if it is missing (`useradd -M -r`, no home), and sets its password when
 * given. Idempotent; calls are serialised. Names always start with `netc` so that nobody else's are touched.
 * The home must exist (vsftpd changes into it before `local_root`): `/` by default, never written to.
 */
export function ensureSystemUser(user: string, pass?: string, shell = '/usr/sbin/nologin', home = '/'): Promise<SystemUser> {
  if (!user.startsWith('netc')) throw new Error(`harness users start with "netc", not ${user}`)
  const result = queue.then(() => ensure(user, pass, shell, home))
  queue = result.catch(() => undefined)
  return result
}

/** The uid and gid of an existing account (`ftp`, `news`, `nobody`...). */
export async function systemUser(user: string): Promise<SystemUser> {
  const found = await lookup(user)
  if (!found) throw new Error(`no unix user ${user}: run apps/harness/scripts/install-debian.sh`)
  return found
}

/** The gid of an existing group (`postdrop`...). */
export async function systemGroup(group: string): Promise<number> {
  try {
    const { stdout } = await runCommand('/usr/bin/getent', ['group', group])
    return Number(stdout.trim().split(':')[2])
  } catch (error) {
    throw new Error(`no unix group ${group}: run apps/harness/scripts/install-debian.sh`, { cause: error })
  }
}
