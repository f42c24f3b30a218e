import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeCertificates } from './certificates.ts'
import type { Certificates } from './certificates.ts'
import { freePortRange, freePorts } from './free-port.ts'
import { prepareFtpUserHomes, rootsOf, sha512Crypt } from './ftp-user-homes.ts'
import { ftpShell } from './system-users.ts'
import { startDaemon } from './daemon-start.ts'
import { ftpDaemon, type FtpDaemon } from './ftp-daemon.ts'
import { waitForGreeting } from './wait-for-greeting.ts'

/**
 * Where install-debian.sh unpacked proftpd-core and proftpd-mod-crypto (mod_tls) with `apt-get download` +
 * `dpkg -x`: Debian's proftpd-core conflicts with vsftpd (both provide ftp-server). NETC_PROFTPD_ROOT
 * overrides it.
 */
export function proftpdRoot(): string {
  return process.env.NETC_PROFTPD_ROOT ?? '/var/cache/netc-harness/proftpd'
}

/** The certificate directives for the harness's key type (ECDSA unless NETC_HARNESS_KEY=rsa). */
function certificateLines(certificates: Certificates): string {
  const kind = process.env.NETC_HARNESS_KEY === 'rsa' ? 'RSA' : 'EC'
  return `  TLS${kind}CertificateFile ${certificates.certFile}\n  TLS${kind}CertificateKeyFile ${certificates.keyFile}`
}

function proftpdConfig(directory: string, root: string, certificates: Certificates, port: number, pasv: { low: number; high: number }): string {
  return `# netc harness: a private ProFTPD on loopback
ServerType standalone
ServerName "netc harness ProFTPD"
ServerIdent on "netc harness ProFTPD"
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
Port ${port}
PassivePorts ${pasv.low} ${pasv.high}
User nobody
Group nogroup
PidFile ${directory}/proftpd.pid
ScoreboardFile ${directory}/proftpd.scoreboard
DelayEngine off
WtmpLog off
UseReverseDNS off
SystemLog ${directory}/proftpd.log
TransferLog ${directory}/xferlog
AuthPAM off
AuthOrder mod_auth_file.c
AuthUserFile ${directory}/ftpd.passwd
AuthGroupFile ${directory}/ftpd.group
RequireValidShell off
DefaultRoot ~
Umask 022
AllowOverwrite on
MaxInstances 50
ModulePath ${root}/usr/lib/proftpd
LoadModule mod_tls.c
<IfModule mod_tls.c>
  TLSEngine on
  TLSLog ${directory}/tls.log
  TLSProtocol TLSv1.2 TLSv1.3
${certificateLines(certificates)}
  TLSVerifyClient off
  TLSRenegotiate none
  # TLS for the login and for data connections, not for every command: CCC (RFC 4217 section 6) is allowed.
  # Data connections must resume the control connection's TLS session (ProFTPD's default).
  TLSRequired auth+data
</IfModule>
`
}

/**
 * Starts ProFTPD 1.3.8 (Debian's proftpd-core, mod_tls loaded from proftpd-mod-crypto) on 127.0.0.1:
 * explicit TLS (AUTH TLS, required for the login and for data, session reuse required), CCC allowed, MLSD,
 * passive and active. Users are the same logins as vsftpd's, from an AuthUserFile mapped to the unix
 * accounts netcftp1/netcftp2, each chrooted into its own root. No implicit TLS, no anonymous.
 */
export async function startProftpd(): Promise<FtpDaemon> {
  return startDaemon('proftpd', async (scope) => {
    const directory = scope.directory
    const root = proftpdRoot()
    const certificates = await makeCertificates(directory)
    const homes = await prepareFtpUserHomes(directory)
    const roots = rootsOf(homes)
    const users: string[] = []
    for (const entry of homes) users.push(`${entry.user}:${await sha512Crypt(entry.pass)}:${entry.uid}:${entry.gid}::${entry.home}:${ftpShell}`)
    const groups = new Map<number, string[]>()
    for (const entry of homes) groups.set(entry.gid, [...(groups.get(entry.gid) ?? []), entry.user])
    const groupLines = [...groups].map(([gid, members]) => `netcftp${gid}:x:${gid}:${members.join(',')}`)
    await writeFile(join(directory, 'ftpd.passwd'), `${users.join('\n')}\n`, { mode: 0o600 })
    await writeFile(join(directory, 'ftpd.group'), `${groupLines.join('\n')}\n`, { mode: 0o644 })
    const [port] = (await freePorts(1)) as [number]
    const passivePorts = await freePortRange(20)
    const config = join(directory, 'proftpd.conf')
    await writeFile(config, proftpdConfig(directory, root, certificates, port, passivePorts), { mode: 0o600 })
    // -n: stay in the foreground; -q: no per-session log noise on stdout.
    const child = scope.spawn(join(root, 'usr/sbin/proftpd'), ['-n', '-q', '-c', config], { name: 'proftpd', logFile: join(directory, 'proftpd.out') })
    await waitForGreeting({ port, expect: /^220 /, goodbye: 'QUIT\r\n', process: child })
    return ftpDaemon(scope, { port, certificates, roots, passivePorts, offers: 'AUTH TLS required: explicit; CCC allowed' })
  })
}
