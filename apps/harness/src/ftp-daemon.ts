import type { Certificates } from './certificates.ts'
import { daemonUrl, type Daemon } from './daemon.ts'
import type { DaemonStart } from './daemon-start.ts'
import { ftpUsers } from './ftp-user-homes.ts'

/** FtpDaemon: a started FTP server of the harness (vsftpd, ProFTPD, pure-ftpd) and what its tests need. */
export interface FtpDaemon extends Daemon {
  /** Each user's FTP root (they log in there; uploads land there). */
  readonly roots: Readonly<Record<string, string>>
  /** The anonymous root (read-only, holds welcome.txt), when anonymous login is on. */
  readonly anonymousRoot?: string
  /** The passive port range, inclusive. */
  readonly passivePorts: { readonly low: number; readonly high: number }
}

/** What differs between the FTP daemons' results; the rest (host, users, certificates, stop) is common. */
export interface FtpDaemonParts {
  port: number
  certificates: Certificates
  roots: Readonly<Record<string, string>>
  passivePorts: { readonly low: number; readonly high: number }
  /** What the plain port offers, shown after its URL: `plain, or AUTH TLS: explicit`. */
  offers: string
  tlsPort?: number | undefined
  anonymousRoot?: string | undefined
}

/**
 * ftpDaemon: the FtpDaemon of a started FTP server: 127.0.0.1, the harness's FTP users, the throwaway CA,
 * and the URLs for `pnpm harness up` (the first user's, then anonymous and implicit TLS when they exist).
 *
 * ```ts
 * return ftpDaemon(scope, { port, certificates, roots, passivePorts, offers: 'plain, or AUTH TLS: explicit' })
 * // urls: ['ftp://netcftp1:...@127.0.0.1:40021  (plain, or AUTH TLS: explicit)']
 * ```
 */
export function ftpDaemon(scope: DaemonStart, parts: FtpDaemonParts): FtpDaemon {
  const first = ftpUsers[0]
  const urls = [`${daemonUrl('ftp', '127.0.0.1', parts.port, first)}  (${parts.offers})`]
  if (parts.anonymousRoot !== undefined) urls.push(`${daemonUrl('ftp', '127.0.0.1', parts.port)}  (anonymous)`)
  if (parts.tlsPort !== undefined) urls.push(`${daemonUrl('ftps', '127.0.0.1', parts.tlsPort, first)}  (implicit TLS)`)
  return {
    host: '127.0.0.1',
    port: parts.port,
    ...(parts.tlsPort === undefined ? {} : { tlsPort: parts.tlsPort }),
    users: ftpUsers,
    ca: parts.certificates.ca,
    caFile: parts.certificates.caFile,
    directory: scope.directory,
    roots: parts.roots,
    ...(parts.anonymousRoot === undefined ? {} : { anonymousRoot: parts.anonymousRoot }),
    passivePorts: parts.passivePorts,
    urls,
    stop: scope.stop,
  }
}
