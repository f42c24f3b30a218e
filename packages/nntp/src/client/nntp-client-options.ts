import {
  InvalidArgumentError,
  lookupNetrc,
  parseNetcUrl,
  readNetrc,
  type ConnectFunction,
  type DebugOption,
  type Limits,
  type ProxyOption,
  type Timeouts,
  type TlsSettings,
} from '@netc/transport'

/**
 * NntpTlsMode: how the client secures the connection. `implicit`: TLS from the first byte (nntps, port
 * 563). `required`: STARTTLS (RFC 4642), and fail when it cannot be had. `opportunistic`: STARTTLS when
 * the server offers it (the default for `nntp://`). `none`: never.
 */
export type NntpTlsMode = 'implicit' | 'required' | 'opportunistic' | 'none'

/**
 * NntpAuth: credentials for AUTHINFO (RFC 4643). With `mechanism` (or when the server offers only
 * AUTHINFO SASL) they go through SASL; otherwise AUTHINFO USER/PASS.
 */
export interface NntpAuth {
  user: string
  pass?: string
  /** An OAuth 2.0 token, for OAUTHBEARER and XOAUTH2. */
  accessToken?: string
  /** The identity to act as (SASL authzid). */
  authorizationId?: string
  /** A SASL mechanism to use, e.g. `SCRAM-SHA-256`; netc picks the strongest offered when absent. */
  mechanism?: string
}

/** NntpClientOptions: everything `NntpClient.connect` takes; a URL fills host, port, TLS and credentials. */
export interface NntpClientOptions {
  host?: string
  /** Default 119, or 563 with `tls: 'implicit'`. */
  port?: number
  /**
   * The TLS mode, or the TLS settings with a mode (`{ mode: 'required', ca }`), as in @netc/pop3. Default
   * `'opportunistic'` (`'implicit'` for nntps:// URLs).
   */
  tls?: NntpTlsMode | (TlsSettings & { mode?: NntpTlsMode })
  /** Certificates and other TLS settings (`ca` for a private CA). Verification stays on unless `rejectUnauthorized: false`. */
  tlsOptions?: TlsSettings
  auth?: NntpAuth
  /** Read credentials for the host from `~/.netrc` (or `$NETRC`) when none are given. Default false. */
  netrc?: boolean
  /** Allow AUTHINFO USER/PASS or SASL PLAIN/LOGIN without TLS to a host that is not loopback. Dangerous. */
  allowInsecureAuth?: boolean
  /**
   * MODE READER (RFC 3977 section 5.3): `true` always sends it, `false` never (feeding), undefined
   * sends it when the capabilities list MODE-READER without READER.
   */
  readerMode?: boolean
  /**
   * COMPRESS DEFLATE (RFC 8054) after login when the server offers it: less on the wire for overview and
   * article traffic on slow links, more CPU on both sides. Default false.
   */
  compress?: boolean
  connect?: ConnectFunction
  /**
   * A proxy: `socks5h://user:pass@gw:1080` (SOCKS5, RFC 1928) or `http://user:pass@gw:3128` (HTTP
   * CONNECT); `false`: never. Absent: `NETC_NNTP_PROXY`, `NETC_PROXY` or `ALL_PROXY` from the environment,
   * minus `NO_PROXY` and loopback hosts.
   */
  proxy?: ProxyOption
  /**
   * Milliseconds of idleness after which `DATE` is sent (RFC 3977 section 7.1: harmless in every state),
   * so that a long-lived reader survives NAT and servers that drop idle readers, and learns early when
   * the server has gone; its reply must come within the reply timeout, else the connection is closed.
   * Default `false`.
   */
  keepAlive?: number | false
  timeouts?: Partial<Timeouts>
  limits?: Partial<Limits>
  debug?: DebugOption
  signal?: AbortSignal
  family?: 0 | 4 | 6
}

/** ResolvedNntpOptions: the options with a host, port and TLS mode settled. */
export interface ResolvedNntpOptions extends Omit<NntpClientOptions, 'tls'> {
  host: string
  port: number
  tls: NntpTlsMode
}

/**
 * resolveNntpOptions: merges a URL (`nntp://user:pass@host:port`, `nntps://...`) or options object with
 * more options (the later win), fills the defaults and, when asked, the netrc credentials.
 */
export async function resolveNntpOptions(target: string | URL | NntpClientOptions, extra: NntpClientOptions = {}): Promise<ResolvedNntpOptions> {
  const base = typeof target === 'string' || target instanceof URL ? fromUrl(target) : target
  const merged: NntpClientOptions = { ...base, ...extra }
  if (merged.host === undefined || merged.host === '') throw new InvalidArgumentError('host is required')
  const { mode, settings } = splitTls(merged.tls, typeof base.tls === 'string' ? base.tls : undefined)
  const port = merged.port ?? (mode === 'implicit' ? 563 : 119)
  const resolved: ResolvedNntpOptions = { ...merged, host: merged.host, port, tls: mode, tlsOptions: { ...settings, ...merged.tlsOptions } }
  if (resolved.auth === undefined && resolved.netrc === true) {
    const entry = lookupNetrc(await readNetrc(), resolved.host)
    if (entry?.login !== undefined) resolved.auth = { user: entry.login, ...(entry.password === undefined ? {} : { pass: entry.password }) }
  }
  return resolved
}

/** splitTls: the mode and the settings of a `tls` option; an object without a mode keeps the URL's mode. */
function splitTls(tls: NntpClientOptions['tls'], urlMode: NntpTlsMode | undefined): { mode: NntpTlsMode; settings: TlsSettings } {
  if (tls === undefined) return { mode: urlMode ?? 'opportunistic', settings: {} }
  if (typeof tls === 'string') return { mode: tls, settings: {} }
  const { mode, ...settings } = tls
  return { mode: mode ?? urlMode ?? 'opportunistic', settings }
}

function fromUrl(url: string | URL): NntpClientOptions {
  const parsed = parseNetcUrl(url)
  if (parsed.protocol !== 'nntp') throw new InvalidArgumentError(`not an NNTP URL: ${parsed.scheme}://`)
  const options: NntpClientOptions = { host: parsed.host, port: parsed.port, tls: parsed.implicitTls ? 'implicit' : 'opportunistic' }
  if (parsed.username !== undefined) options.auth = { user: parsed.username, ...(parsed.password === undefined ? {} : { pass: parsed.password }) }
  return options
}
