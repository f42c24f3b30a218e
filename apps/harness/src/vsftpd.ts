import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeCertificates } from './certificates.ts'
import type { Certificates } from './certificates.ts'
import { freePortRange, freePorts } from './free-port.ts'
import { systemUser } from './system-users.ts'
import { startDaemon } from './daemon-start.ts'
import { ftpDaemon, type FtpDaemon } from './ftp-daemon.ts'
import { waitForGreeting } from './wait-for-greeting.ts'
import { ftpWelcome, prepareFtpUserHomes, rootsOf } from './ftp-user-homes.ts'

export { ftpUsers, ftpWelcome } from './ftp-user-homes.ts'

/** An FTP daemon of the harness: roots are plain directories that tests may read and fill. */
export type { FtpDaemon } from './ftp-daemon.ts'

/** Options for {@link startVsftpd}. */
export interface VsftpdOptions {
  /** Also start the second instance with implicit TLS (`tlsPort`). Default true. */
  readonly implicitTls?: boolean
  /** Refuse logins and data without TLS on the plain port (`force_local_*_ssl`). Default false. */
  readonly requireTls?: boolean
  /**
   * Ports in each instance's passive range. Default 20; a load test with hundreds of concurrent
   * transfers needs one per transfer (vsftpd answers 425 when the range is used up).
   */
  readonly passivePortCount?: number
  /** vsftpd's `max_clients` and `max_per_ip` (0: unlimited, vsftpd's default; unset: not written). */
  readonly maxClients?: number
  readonly maxPerIp?: number
}

/** The optional lines of vsftpd.conf that raise or lower its connection limits. */
function limitLines(options: VsftpdOptions): string {
  const lines: string[] = []
  if (options.maxClients !== undefined) lines.push(`max_clients=${options.maxClients}`)
  if (options.maxPerIp !== undefined) lines.push(`max_per_ip=${options.maxPerIp}`)
  return lines.map((line) => `${line}\n`).join('')
}

function vsftpdConfig(directory: string, certificates: Certificates, port: number, pasv: { low: number; high: number }, implicit: boolean, options: VsftpdOptions): string {
  const requireTls = options.requireTls ?? false
  const yes = (value: boolean): string => (value ? 'YES' : 'NO')
  return `# netc harness: a private vsftpd on loopback
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=${port}
background=NO
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
pam_service_name=vsftpd
local_enable=YES
write_enable=YES
local_umask=022
user_sub_token=$USER
local_root=${directory}/ftp/$USER
chroot_local_user=NO
secure_chroot_dir=${directory}/empty
anonymous_enable=YES
anon_root=${directory}/ftp/anonymous
no_anon_password=YES
anon_upload_enable=NO
anon_mkdir_write_enable=NO
pasv_enable=YES
pasv_min_port=${pasv.low}
pasv_max_port=${pasv.high}
pasv_address=127.0.0.1
port_enable=YES
connect_from_port_20=NO
ftpd_banner=netc harness vsftpd
userlist_enable=NO
tcp_wrappers=NO
xferlog_enable=YES
log_ftp_protocol=YES
vsftpd_log_file=${directory}/vsftpd${implicit ? '-implicit' : ''}.log
ssl_enable=YES
implicit_ssl=${yes(implicit)}
rsa_cert_file=${certificates.certFile}
rsa_private_key_file=${certificates.keyFile}
require_ssl_reuse=YES
# vsftpd's compiled-in default is DES-CBC3-SHA only: no TLS 1.2 handshake with an ECDSA certificate.
ssl_ciphers=HIGH:!aNULL
allow_anon_ssl=YES
force_local_logins_ssl=${yes(requireTls)}
force_local_data_ssl=${yes(requireTls)}
force_anon_logins_ssl=NO
force_anon_data_ssl=NO
${limitLines(options)}`
}

/**
 * Starts vsftpd on 127.0.0.1: plain FTP with explicit TLS (AUTH TLS, `require_ssl_reuse=YES`) on `port`,
 * and a second instance with implicit TLS on `tlsPort`. Passive and active (PORT/EPRT) are allowed; users
 * `netcftp1`/`netcftp2` and anonymous. Each start gets a fresh temp dir, ports and certificates.
 */
export async function startVsftpd(options: VsftpdOptions = {}): Promise<FtpDaemon> {
  const implicitTls = options.implicitTls ?? true
  return startDaemon('vsftpd', async (scope) => {
    const directory = scope.directory
    const certificates = await makeCertificates(directory)
    await mkdir(join(directory, 'empty'), { mode: 0o555 })
    await chmod(join(directory, 'empty'), 0o555)
    const roots = rootsOf(await prepareFtpUserHomes(directory))
    const anonymousRoot = join(directory, 'ftp', 'anonymous')
    await mkdir(join(anonymousRoot, 'pub'), { recursive: true })
    await writeFile(join(anonymousRoot, ftpWelcome.name), ftpWelcome.content)
    await systemUser('ftp') // vsftpd's anonymous account, from its package
    const [port, tlsPort] = await freePorts(2)
    const passiveCount = options.passivePortCount ?? 20
    const passivePorts = await freePortRange(passiveCount)
    const instances: { port: number; implicit: boolean; pasv: { low: number; high: number } }[] = [
      { port: port!, implicit: false, pasv: passivePorts },
    ]
    if (implicitTls) instances.push({ port: tlsPort!, implicit: true, pasv: await freePortRange(passiveCount) })
    for (const instance of instances) {
      const name = instance.implicit ? 'vsftpd-implicit' : 'vsftpd'
      const config = join(directory, `${name}.conf`)
      await writeFile(config, vsftpdConfig(directory, certificates, instance.port, instance.pasv, instance.implicit, options), { mode: 0o600 })
      const child = scope.spawn('/usr/sbin/vsftpd', [config], { name, logFile: join(directory, `${name}.out`) })
      await waitForGreeting({
        port: instance.port,
        expect: /^220 /,
        goodbye: 'QUIT\r\n',
        process: child,
        ...(instance.implicit ? { tlsCa: certificates.ca } : {}),
      })
    }
    return ftpDaemon(scope, {
      port: port!,
      tlsPort: implicitTls ? tlsPort! : undefined,
      certificates,
      roots,
      anonymousRoot,
      passivePorts,
      offers: 'plain, or AUTH TLS: explicit',
    })
  })
}
