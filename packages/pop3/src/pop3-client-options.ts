import type { ConnectFunction, DebugOption, Limits, ProxyOption, Timeouts, TlsSettings } from '@netc/transport'

/**
 * Pop3TlsMode: how the connection is secured.
 * - `'implicit'`: TLS from the first byte (POP3S, port 995, RFC 8314); the default for `pop3s://`.
 * - `'required'`: STLS (RFC 2595) before anything else; a server that refuses it is a `TlsError`.
 * - `'opportunistic'`: STLS when CAPA offers it, plaintext otherwise; the default for `pop3://`.
 *   Credentials still never travel in cleartext to a non-loopback host (see `allowInsecureAuth`).
 * - `'none'`: plaintext, no STLS.
 */
export type Pop3TlsMode = 'implicit' | 'required' | 'opportunistic' | 'none'

/** Pop3TlsOptions: the TLS settings (`ca`, `servername`, ...) with the mode, for `tls: { mode, ca }`. */
export interface Pop3TlsOptions extends TlsSettings {
  mode?: Pop3TlsMode
}

/** Pop3PasswordAuth: a user name and password (USER/PASS, APOP, or a password SASL mechanism). */
export interface Pop3PasswordAuth {
  user: string
  pass: string
  /** Act as another identity (SASL authzid, RFC 4422 section 2); only PLAIN and SCRAM carry it. */
  authorizationId?: string
}

/** Pop3TokenAuth: an OAuth 2.0 access token (SASL OAUTHBEARER or XOAUTH2). */
export interface Pop3TokenAuth {
  user: string
  accessToken: string
  authorizationId?: string
}

/** Pop3Auth: how to log in. */
export type Pop3Auth = Pop3PasswordAuth | Pop3TokenAuth

/**
 * Pop3LoginMechanism: a login method by name: `'USER'` (USER/PASS, RFC 1939 section 7), `'APOP'`
 * (RFC 1939 section 7) or a SASL mechanism for AUTH (RFC 5034): `'PLAIN'`, `'SCRAM-SHA-256'`, ...
 */
export type Pop3LoginMechanism = string

/** Pop3ClientOptions: everything `Pop3Client.connect` accepts; a URL fills host, port, TLS and auth. */
export interface Pop3ClientOptions {
  host?: string
  /** Default 110, or 995 with implicit TLS. */
  port?: number
  /** The TLS mode, or the TLS settings with their mode. Certificates are always verified unless `rejectUnauthorized: false`. */
  tls?: Pop3TlsMode | Pop3TlsOptions
  /** Log in at connect; without it the client stays in the `'authorization'` state. */
  auth?: Pop3Auth
  /** Force one login method instead of the strongest both sides offer. */
  mechanism?: Pop3LoginMechanism
  /** Use APOP (when the greeting has a timestamp) rather than USER/PASS when no SASL mechanism fits. */
  apop?: boolean
  /** Read missing credentials for the host from `~/.netrc` (or `$NETRC`). Default false. */
  netrc?: boolean
  /** Allow credentials over plaintext to a host that is not loopback. Off by default, and loud on purpose. */
  allowInsecureAuth?: boolean
  /** Send UTF8 (RFC 6856) before logging in when the server offers it. Default false. */
  utf8?: boolean
  timeouts?: Partial<Timeouts>
  limits?: Partial<Limits>
  /** `true` writes a `C:`/`S:` transcript to stderr, a function receives each line; secrets are masked. */
  debug?: DebugOption
  /** The seam that opens the byte stream (a proxy tunnel, a test double). */
  connect?: ConnectFunction
  /**
   * A proxy: `socks5h://user:pass@gw:1080` (SOCKS5, RFC 1928) or `http://user:pass@gw:3128` (HTTP
   * CONNECT); `false`: never. Absent: `NETC_POP3_PROXY`, `NETC_PROXY` or `ALL_PROXY` from the environment,
   * minus `NO_PROXY` and loopback hosts.
   */
  proxy?: ProxyOption
  /**
   * Milliseconds of idleness after which `NOOP` is sent (RFC 1939 section 5: `C: NOOP  S: +OK`), so that a
   * kept session survives NAT and finds out early that the server has gone; its reply must come within the
   * reply timeout, else the connection is closed. Default `false`.
   */
  keepAlive?: number | false
  /** Aborts connecting and logging in. */
  signal?: AbortSignal
  /** 4 or 6 to force an address family. */
  family?: 0 | 4 | 6
}

/** Pop3OperationOptions: what every command accepts: an AbortSignal. */
export interface Pop3OperationOptions {
  signal?: AbortSignal
}
