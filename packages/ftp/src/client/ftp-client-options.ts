import {
  InvalidArgumentError,
  parseNetcUrl,
  type ConnectFunction,
  type DebugOption,
  type Limits,
  type ProxyOption,
  type Timeouts,
  type TlsSettings,
} from '@netc/transport'

/**
 * FtpClientOptions: how `FtpClient.connect` connects and logs in. Every field is optional beside a host
 * (from the URL or `host`).
 *
 * ```ts
 * await FtpClient.connect('ftp://dave:secret@ftp.example.com/pub', { secure: 'explicit', tls: { ca } })
 * ```
 */
export interface FtpClientOptions {
  host?: string
  /** Default 21, or 990 for implicit TLS. */
  port?: number
  /** Default `anonymous` (password `anonymous@`). */
  user?: string
  password?: string
  /**
   * `'explicit'`: AUTH TLS, PBSZ 0, PROT P on the plain port (RFC 4217); `'implicit'`: TLS from the first
   * byte (`ftps://`, port 990); `false` (the default for `ftp://`): plaintext.
   */
  secure?: false | 'explicit' | 'implicit'
  /**
   * CCC, Clear Command Channel (RFC 4217 section 6), explicit FTPS only: after login, the control connection
   * goes back to plaintext (so that a NAT or firewall ALG can read PORT/PASV) while data connections stay
   * TLS (PROT P). `true`: CCC right after login, before `connect` resolves; `'later'`: ready for `ftp.ccc()`.
   * Either way the control TLS runs over a carrier stream so that it can be removed.
   */
  ccc?: boolean | 'later'
  /** TLS settings for the control and data connections (`ca`, `servername`, ...). Certificates are verified. */
  tls?: TlsSettings
  /** Passive mode (EPSV, then PASV), the default. `false`: active mode (EPRT, then PORT). */
  passive?: boolean
  /**
   * Once EPSV and a data connection have worked on the connection, send EPSV and the transfer command
   * (RETR, STOR, LIST, ...) in one write and read both replies in order: one round trip less per
   * transfer (about 9% of the time of a 4 KiB download from vsftpd on loopback, more over a longer link).
   * Off by default: RFC 959 section 5.4 asks a client to wait for each reply, FTP has no capability that
   * promises more, and lftp keeps the same switch off because some servers and middleboxes drop a command
   * sent early. vsftpd, ProFTPD and pure-ftpd read commands in order and answer both.
   * Nothing is sent while a transfer runs: ProFTPD answers a command that arrives during a transfer with
   * `450 EPSV: data transfer in progress`, and pure-ftpd over TLS with `500`.
   */
  pipelining?: boolean
  /** The address to announce in active mode (default: the control connection's local address). */
  activeAddress?: string
  /**
   * Connect data connections to the address in the PASV reply instead of the control host. Off by default:
   * a PASV address is not trusted (RFC 2577 section 3; servers behind NAT announce private addresses).
   */
  allowSeparateTransferHost?: boolean
  /** Send a user name and password over plaintext to a host that is not loopback. Off by default. */
  allowInsecureAuth?: boolean
  /** How names and replies are encoded: `'utf8'` (default) or `'latin1'` for old servers. */
  encoding?: 'utf8' | 'latin1'
  timeouts?: Partial<Timeouts>
  limits?: Partial<Limits>
  /** `true` prints a `C:`/`S:` transcript to stderr (passwords masked); a function receives each line. */
  debug?: DebugOption
  /** The seam that opens control and data connections (a proxy, a test double). */
  connect?: ConnectFunction
  /**
   * A proxy for the control and the passive data connections: `socks5h://user:pass@gw:1080` (SOCKS5,
   * RFC 1928) or `http://user:pass@gw:3128` (HTTP CONNECT); `false`: never. Absent: `NETC_FTP_PROXY`,
   * `NETC_PROXY` or `ALL_PROXY` from the environment, minus `NO_PROXY` and loopback hosts. Active mode
   * (`passive: false`) cannot go through a proxy.
   */
  proxy?: ProxyOption
  /**
   * Milliseconds of idleness after which `NOOP` is sent (RFC 959 section 4.1.3), to keep NAT and the
   * server's idle timer from dropping the control connection; its reply must come within the reply
   * timeout, else the connection is closed (the next call fails at once). Default `false`.
   */
  keepAlive?: number | false
  /** Aborts connecting and logging in. */
  signal?: AbortSignal
  /** 4 or 6 to force an address family. */
  family?: 0 | 4 | 6
}

/** The options with the URL folded in and defaults applied. */
export interface ResolvedFtpOptions extends FtpClientOptions {
  host: string
  port: number
  user: string
  password: string
  secure: false | 'explicit' | 'implicit'
  /** The working directory to change to after login (the URL's path), if any. */
  path: string | undefined
}

/** resolveFtpOptions: a URL (`ftp://`, `ftps://`) and/or options into one set of options; the options win. */
export function resolveFtpOptions(target: string | URL | FtpClientOptions, extra: FtpClientOptions = {}): ResolvedFtpOptions {
  const fromUrl: FtpClientOptions & { path?: string } = {}
  if (typeof target === 'string' || target instanceof URL) {
    const url = parseNetcUrl(target)
    if (url.protocol !== 'ftp') throw new InvalidArgumentError(`not an FTP URL: ${url.scheme}://`)
    Object.assign(fromUrl, { host: url.host, port: url.port, secure: url.implicitTls ? 'implicit' : false })
    if (url.username !== undefined) fromUrl.user = url.username
    if (url.password !== undefined) fromUrl.password = url.password
    if (url.path !== '') fromUrl.path = url.path // relative to the login directory; `%2F` makes it absolute (RFC 1738)
  }
  const merged = { ...fromUrl, ...(typeof target === 'object' && !(target instanceof URL) ? target : {}), ...extra }
  if (merged.host === undefined || merged.host === '') throw new InvalidArgumentError('host is required')
  const secure = merged.secure ?? false
  if (merged.ccc !== undefined && merged.ccc !== false && secure !== 'explicit') {
    throw new InvalidArgumentError(`ccc needs secure: 'explicit' (AUTH TLS), not ${secure === false ? 'plaintext' : `secure: '${secure}'`}`)
  }
  const user = merged.user ?? 'anonymous'
  return {
    ...merged,
    host: merged.host,
    port: merged.port ?? (secure === 'implicit' ? 990 : 21),
    user,
    password: merged.password ?? (user === 'anonymous' ? 'anonymous@' : ''),
    secure,
    path: fromUrl.path,
  }
}
