import { InvalidArgumentError } from '../errors/index.ts'
import type { TlsSettings } from '../connection/start-tls.ts'

/**
 * ProxySettings: a proxy that connections tunnel through: SOCKS5 (RFC 1928, user/password auth RFC 1929)
 * or HTTP CONNECT (RFC 9110 section 9.3.6). Written as a URL it is `socks5://user:pass@host:1080`,
 * `socks5h://host:1080` (names resolved by the proxy) or `http://user:pass@host:3128`
 * (`https://` for TLS to the proxy).
 *
 * ```ts
 * await SmtpClient.connect('smtp://mail.example.com', { proxy: { type: 'socks5', host: 'gw', port: 1080 } })
 * ```
 */
export type ProxySettings = SocksProxySettings | HttpProxySettings

/** A SOCKS5 proxy. `remoteDns` (default true) lets the proxy resolve the target's name. */
export interface SocksProxySettings {
  type: 'socks5'
  host: string
  port: number
  username?: string | undefined
  password?: string | undefined
  /** true: the proxy resolves names (`socks5h://`, the default); false: this machine does (`socks5://`). */
  remoteDns?: boolean | undefined
}

/** An HTTP proxy that tunnels with CONNECT; `tls` speaks TLS to the proxy itself (`https://`). */
export interface HttpProxySettings {
  type: 'http'
  host: string
  port: number
  username?: string | undefined
  password?: string | undefined
  /** TLS to the proxy (an `https://` proxy URL); `true` for the defaults, or settings (`ca`, ...). */
  tls?: boolean | TlsSettings | undefined
}

const defaultPorts: Record<string, number> = { 'socks5:': 1080, 'socks5h:': 1080, 'socks:': 1080, 'http:': 80, 'https:': 443 }

/**
 * parseProxyUrl: a proxy URL into `ProxySettings`. `socks5://` resolves the target's name locally and
 * `socks5h://` (or `socks://`) at the proxy, as curl does; credentials are percent-decoded.
 *
 * ```ts
 * parseProxyUrl('socks5h://dave:s%40cret@gw.example.com')  // { type: 'socks5', host: 'gw.example.com', port: 1080, username: 'dave', password: 's@cret', remoteDns: true }
 * ```
 * Errors: `InvalidArgumentError` for a URL that is not one (its text is not repeated: it may hold a password).
 */
export function parseProxyUrl(text: string): ProxySettings {
  let url: URL
  try {
    url = new URL(text.includes('://') ? text : `http://${text}`)
  } catch {
    throw new InvalidArgumentError('invalid proxy URL')
  }
  const port = defaultPorts[url.protocol]
  if (port === undefined) throw new InvalidArgumentError(`unsupported proxy scheme ${url.protocol}// (socks5, socks5h, http, https)`)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === '') throw new InvalidArgumentError('the proxy URL has no host')
  const credentials = {
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
  }
  const common = { host, port: url.port === '' ? port : Number(url.port), ...credentials }
  if (url.protocol === 'http:' || url.protocol === 'https:') return { type: 'http', ...common, tls: url.protocol === 'https:' }
  return { type: 'socks5', ...common, remoteDns: url.protocol !== 'socks5:' }
}

/**
 * describeProxy: a proxy as a URL without its credentials, for messages and logs.
 *
 * ```ts
 * describeProxy(parseProxyUrl('socks5h://dave:secret@gw:1080'))  // 'socks5h://gw:1080'
 * ```
 */
export function describeProxy(proxy: ProxySettings): string {
  const host = proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host
  const scheme = proxy.type === 'http' ? (proxy.tls ? 'https' : 'http') : proxy.remoteDns === false ? 'socks5' : 'socks5h'
  return `${scheme}://${host}:${proxy.port}`
}
