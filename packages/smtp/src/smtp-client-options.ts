import { hostname } from 'node:os'
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
 * SmtpTlsMode: how the client secures the connection.
 * - `implicit`: TLS from the first byte (RFC 8314, port 465, `smtps://`).
 * - `required`: STARTTLS (RFC 3207), and fail when the server does not offer it.
 * - `opportunistic`: STARTTLS when offered, plaintext otherwise (the default for `smtp://`). A handshake
 *   that fails (a refused certificate) still fails the connection.
 * - `none`: plaintext, never STARTTLS.
 */
export type SmtpTlsMode = 'implicit' | 'required' | 'opportunistic' | 'none'

/** SmtpTlsOptions: a mode, or TLS settings (`ca`, `servername`, `rejectUnauthorized: false`, ...) with a mode. */
export type SmtpTlsOptions = SmtpTlsMode | (TlsSettings & { mode?: SmtpTlsMode })

/**
 * SmtpAuth: credentials for AUTH (RFC 4954). A password (`pass`) or an OAuth 2.0 `accessToken`; the strongest
 * mechanism both sides know is chosen unless `mechanism` names one.
 */
export interface SmtpAuth {
  user: string
  pass?: string
  accessToken?: string
  /** Act as another identity (RFC 4422 `authzid`); PLAIN, SCRAM and OAUTHBEARER only. */
  authorizationId?: string
  /** Force one SASL mechanism, e.g. `'LOGIN'` for a server that mishandles PLAIN. */
  mechanism?: string
}

/** SmtpClientOptions: everything `SmtpClient.connect` takes; a URL fills host, port, TLS and credentials. */
export interface SmtpClientOptions {
  host?: string
  /** Default 25, 465 for implicit TLS. */
  port?: number
  tls?: SmtpTlsOptions
  /** The name sent with EHLO/LHLO (default: this host's name when it is a domain, `[127.0.0.1]` otherwise). */
  name?: string
  auth?: SmtpAuth
  /** Allow AUTH over plaintext to a host that is not loopback. Credentials then cross the network readable. */
  allowInsecureAuth?: boolean
  /** Speak LMTP (RFC 2033): LHLO, and one reply per recipient after the message. */
  lmtp?: boolean
  timeouts?: Partial<Timeouts>
  limits?: Partial<Limits>
  /** `true` prints a `C:`/`S:` transcript to stderr; a function receives each line. Secrets are masked. */
  debug?: DebugOption
  /** The seam that opens the byte stream (tests, proxies). */
  connect?: ConnectFunction
  /**
   * A proxy: `socks5h://user:pass@gw:1080` (SOCKS5, RFC 1928) or `http://user:pass@gw:3128` (HTTP
   * CONNECT); `false`: never. Absent: `NETC_SMTP_PROXY`, `NETC_PROXY` or `ALL_PROXY` from the environment,
   * minus `NO_PROXY` and loopback hosts.
   */
  proxy?: ProxyOption
  /**
   * Milliseconds of idleness after which `NOOP` is sent (RFC 5321 section 4.1.1.9), so that a kept
   * session survives NAT and finds out early that the server has gone; its reply must come within the
   * reply timeout, else the connection is closed. Default `false`.
   */
  keepAlive?: number | false
  /** Aborts connecting. */
  signal?: AbortSignal
  /** Force IPv4 or IPv6. */
  family?: 0 | 4 | 6
}

/** ResolvedSmtpOptions: the options with every default applied. */
export interface ResolvedSmtpOptions extends Omit<SmtpClientOptions, 'host' | 'port' | 'tls' | 'name'> {
  host: string
  port: number
  tlsMode: SmtpTlsMode
  tlsSettings: TlsSettings
  name: string
}

/**
 * resolveSmtpOptions: URL and options merged, defaults applied, checked. `smtps://` means implicit TLS on
 * 465; `smtp://` opportunistic STARTTLS on 25; options given beside the URL win over it.
 *
 * ```ts
 * resolveSmtpOptions('smtp://dave:secret@mail.example.com:587', { tls: 'required' })
 * // { host: 'mail.example.com', port: 587, tlsMode: 'required', auth: { user: 'dave', pass: 'secret' }, ... }
 * ```
 */
export function resolveSmtpOptions(target: string | URL | SmtpClientOptions, extra: SmtpClientOptions = {}): ResolvedSmtpOptions {
  const base = typeof target === 'string' || target instanceof URL ? fromUrl(target) : target
  const options: SmtpClientOptions = { ...base, ...extra }
  const { tls, host, port, name, ...rest } = options
  // A URL says the mode (smtps://), options beside it may add settings ({ ca }) without repeating it.
  const tlsMode = modeOf(extra.tls) ?? modeOf(base.tls) ?? 'opportunistic'
  if (!['implicit', 'required', 'opportunistic', 'none'].includes(tlsMode)) {
    throw new InvalidArgumentError(`tls: ${JSON.stringify(tlsMode)} (allowed: implicit, required, opportunistic, none)`)
  }
  if (host === undefined || host === '') throw new InvalidArgumentError('host is required')
  const tlsSettings: TlsSettings = typeof tls === 'object' ? withoutMode(tls) : {}
  const resolvedName = name ?? defaultHeloName()
  if (!/^[\x21-\x7e]+$/.test(resolvedName)) throw new InvalidArgumentError(`name ${JSON.stringify(resolvedName)}: one word of printable ASCII`)
  if (rest.auth !== undefined && (typeof rest.auth.user !== 'string' || rest.auth.user === '')) {
    throw new InvalidArgumentError('auth.user is required')
  }
  return { ...rest, host, port: port ?? (tlsMode === 'implicit' ? 465 : 25), tlsMode, tlsSettings, name: resolvedName }
}

function fromUrl(url: string | URL): SmtpClientOptions {
  const parsed = parseNetcUrl(url)
  if (parsed.protocol !== 'smtp') throw new InvalidArgumentError(`not an SMTP URL: use smtp:// or smtps://, not ${parsed.scheme}://`)
  const options: SmtpClientOptions = { host: parsed.host, port: parsed.port, tls: parsed.implicitTls ? 'implicit' : 'opportunistic' }
  if (parsed.username !== undefined) options.auth = { user: parsed.username, ...(parsed.password === undefined ? {} : { pass: parsed.password }) }
  return options
}

function modeOf(tls: SmtpTlsOptions | undefined): SmtpTlsMode | undefined {
  return typeof tls === 'string' ? tls : tls?.mode
}

function withoutMode(tls: TlsSettings & { mode?: SmtpTlsMode }): TlsSettings {
  const { mode: _mode, ...settings } = tls
  return settings
}

/**
 * defaultHeloName: this host's name when it is a dotted domain (RFC 5321 section 4.1.1.1 asks for a
 * fully-qualified name), otherwise the address literal `[127.0.0.1]` (as nodemailer does): a bare
 * `localhost`-style name makes some servers refuse EHLO.
 */
export function defaultHeloName(): string {
  const name = hostname()
  return /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(name) ? name : '[127.0.0.1]'
}
