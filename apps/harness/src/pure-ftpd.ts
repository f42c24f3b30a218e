import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeCertificates } from './certificates.ts'
import { freePortRange, freePorts } from './free-port.ts'
import { prepareFtpUserHomes, rootsOf, sha512Crypt } from './ftp-user-homes.ts'
import { runCommand } from './run-command.ts'
import { startDaemon } from './daemon-start.ts'
import { ftpDaemon, type FtpDaemon } from './ftp-daemon.ts'
import { waitForGreeting } from './wait-for-greeting.ts'

/**
 * Where install-debian.sh unpacked pure-ftpd (`apt-get download` + `dpkg -x`: its package conflicts with
 * vsftpd's). NETC_PURE_FTPD_ROOT overrides it.
 */
export function pureFtpdRoot(): string {
  return process.env.NETC_PURE_FTPD_ROOT ?? '/var/cache/netc-harness/pure-ftpd'
}

/**
 * Starts pure-ftpd 1.0.50 on 127.0.0.1: plain FTP with optional explicit TLS (`-Y 1`), MLSD, passive and
 * active, no anonymous. Users are the same logins as vsftpd's, as pure-ftpd virtual users (puredb) mapped to
 * the unix accounts netcftp1/netcftp2, each chrooted into its own root. pure-ftpd has no implicit TLS.
 */
export async function startPureFtpd(): Promise<FtpDaemon> {
  return startDaemon('pure-ftpd', async (scope) => {
    const directory = scope.directory
    const root = pureFtpdRoot()
    const certificates = await makeCertificates(directory)
    // SHA-512 crypt: pure-pw's own default (argon2id, t=127) makes every login slow.
    const homes = await prepareFtpUserHomes(directory)
    const roots = rootsOf(homes)
    const lines: string[] = []
    for (const entry of homes) lines.push(`${entry.user}:${await sha512Crypt(entry.pass)}:${entry.uid}:${entry.gid}::${entry.home}/./::::::::::::`)
    const passwd = join(directory, 'pureftpd.passwd')
    const database = join(directory, 'pureftpd.pdb')
    await writeFile(passwd, `${lines.join('\n')}\n`, { mode: 0o600 })
    await runCommand(join(root, 'usr/bin/pure-pw'), ['mkdb', database, '-f', passwd])
    const [port] = (await freePorts(1)) as [number]
    const passivePorts = await freePortRange(20)
    const args = [
      '-S', `127.0.0.1,${port}`,
      '-p', `${passivePorts.low}:${passivePorts.high}`,
      '-P', '127.0.0.1',
      '-l', `puredb:${database}`,
      '-E', '-H', '-4', '-A',
      '-c', '50', '-C', '50',
      '-Y', '1',
      '-2', `${certificates.certFile},${certificates.keyFile}`,
      '-g', join(directory, 'pure-ftpd.pid'),
      '-O', `clf:${join(directory, 'transfer.log')}`,
      '-f', 'none',
    ]
    const child = scope.spawn(join(root, 'usr/sbin/pure-ftpd'), args, { name: 'pure-ftpd', logFile: join(directory, 'pure-ftpd.out') })
    await waitForGreeting({ port, expect: /^220 /, goodbye: 'QUIT\r\n', process: child })
    return ftpDaemon(scope, { port, certificates, roots, passivePorts, offers: 'plain, or AUTH TLS: explicit' })
  })
}
