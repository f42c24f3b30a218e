import type { ServerFaults, TestCertificates } from '@netc/transport/testing'

/** FtpServerFaults: what the fake FTP server does wrong, on purpose. */
export interface FtpServerFaults {
  /** Close each data connection after this many bytes of a download, then reply `426`. */
  dropDataAfterBytes?: number
  /** Refuse every transfer command with `425 Can't open data connection.` */
  reply425?: boolean
  /** Announce this IPv4 address in PASV replies instead of the real one (PASV spoofing). */
  pasvAddress?: string
  /** Refuse EPSV with `500` (an old server): clients fall back to PASV. */
  refuseEpsv?: boolean
  /** Send no more data after this many bytes of a download, keeping the data connection open (a stall). */
  stallDataAfterBytes?: number
  /** Fixed replies by command verb, e.g. `{ CWD: '550 Permission denied.' }` (before any other handling). */
  replies?: Readonly<Record<string, string>>
  /**
   * After this many milliseconds without a command, reply `421 Timeout.` and close the control
   * connection, as vsftpd's `idle_session_timeout` does (a pool must replace such connections).
   */
  closeIdleAfterMs?: number
  /** Answer CCC with `200` and then never close TLS (no close_notify): a broken server; clients must time out. */
  cccWithoutShutdown?: boolean
  /** Faults on the control connection's writes (split replies, EOF after N bytes, stalls). */
  control?: ServerFaults
}

/** FtpTestServerOptions: how `FtpTestServer.start` sets up the fake server. */
export interface FtpTestServerOptions {
  /** Accounts: user name → password. */
  users?: Readonly<Record<string, string>>
  /** Accept `anonymous` / `ftp` with any password. Default true. */
  anonymous?: boolean
  /** The initial files: absolute or relative paths → content; their directories are made. */
  files?: Readonly<Record<string, Buffer | string>>
  /** Extra empty directories. */
  directories?: readonly string[]
  /** `'explicit'`: AUTH TLS on the plain port (RFC 4217); `'implicit'`: TLS from the first byte. Default `'none'`. */
  tls?: 'none' | 'explicit' | 'implicit'
  /** Refuse TLS data connections that do not resume the control session (vsftpd `require_ssl_reuse=YES`). */
  requireSessionReuse?: boolean
  /** Refuse logins and transfers without TLS (vsftpd `force_local_logins_ssl`, `force_local_data_ssl`). */
  requireTls?: boolean
  /** Offer MLST/MLSD (pure-ftpd, ProFTPD). Default true; false behaves like vsftpd. */
  mlsd?: boolean
  /** Offer UTF8 in FEAT. Default true. */
  utf8?: boolean
  /** How the server decodes commands and encodes names: `'utf8'` (default) or `'latin1'` (an old server; set `utf8: false`). */
  encoding?: 'utf8' | 'latin1'
  faults?: FtpServerFaults
  /** The certificate to serve (default: `createTestCertificates()`). */
  certificates?: TestCertificates
  /** The loopback address to listen on. Default `'127.0.0.1'`. */
  host?: '127.0.0.1' | '::1'
}
