import { domainToASCII } from 'node:url'
import { InvalidArgumentError } from '../errors/index.ts'
import { defaultPort, isNetcScheme, netcSchemes, type NetcProtocol, type NetcScheme } from './default-port.ts'

/** NetcUrl: a netc URL taken apart, every part percent-decoded and checked for injection. */
export interface NetcUrl {
  /** The scheme, lower-case: `'pop3s'`. */
  scheme: NetcScheme
  /** The protocol behind it: `'pop3'`. */
  protocol: NetcProtocol
  /** True for `ftps`, `smtps`, `pop3s`, `nntps`: TLS from the first byte (RFC 8314), not STARTTLS. */
  implicitTls: boolean
  /** The host name (lower-case, IDNA as ASCII) or address; IPv6 without its brackets: `'::1'`. */
  host: string
  /** The port, the scheme's default when the URL names none. */
  port: number
  /** The user name, percent-decoded (`user%40example.com` is `user@example.com`); absent when empty. */
  username?: string
  /** The password, percent-decoded; absent when empty. A secret: never log it. */
  password?: string
  /** The path without its leading `/`, percent-decoded: `ftp://h/pub/x.txt` gives `'pub/x.txt'`, `ftp://h/%2Fetc` gives `'/etc'`. */
  path: string
  /** The query, decoded: `?timeout=5000`. */
  searchParams: URLSearchParams
}

const INJECTION = /[\r\n\0]/
const AUTHORITY = /^\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#]*@)?(?:\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/

/**
 * parseNetcUrl: a URL of one of the eight netc schemes taken apart, with defaults filled in.
 *
 * ```ts
 * parseNetcUrl('pop3s://user%40example.com:p%40ss@pop.example.com')
 * // { scheme: 'pop3s', protocol: 'pop3', implicitTls: true, host: 'pop.example.com', port: 995,
 * //   username: 'user@example.com', password: 'p@ss', path: '', searchParams: URLSearchParams {} }
 * ```
 * Parsed with WHATWG `URL` (RFC 3986 syntax; RFC 1738 section 3.2 for ftp paths), so dot segments
 * (`a/../b`, `%2E%2E`) are resolved as browsers do. Throws
 * `InvalidArgumentError` for another scheme, a bad port (not 1 to 65535), a missing host, malformed
 * percent-encoding, or a CR, LF or NUL in any part once decoded (or a CR, LF, TAB or NUL anywhere in the
 * text, which `URL` would silently drop). Messages never show the password.
 */
export function parseNetcUrl(input: string | URL): NetcUrl {
  const url = typeof input === 'string' ? toUrl(input) : input
  const scheme = url.protocol.slice(0, -1).toLowerCase()
  if (!isNetcScheme(scheme)) {
    throw new InvalidArgumentError(`unsupported URL scheme "${scheme}:" (netc speaks ${netcSchemes.join(', ')})`)
  }
  const port = url.port === '' ? defaultPort(scheme) : Number(url.port)
  if (port === 0) throw new InvalidArgumentError(`bad port 0 in ${describe(url.href)}`)
  const result: NetcUrl = {
    scheme,
    protocol: scheme.replace(/s$/, '') as NetcProtocol,
    implicitTls: scheme.endsWith('s'),
    host: parseHost(url),
    port,
    path: decode(url.pathname.replace(/^\//, ''), 'path', url),
    searchParams: new URLSearchParams(url.search),
  }
  const username = decode(url.username, 'user name', url)
  const password = decode(url.password, 'password', url)
  if (username !== '') result.username = username
  if (password !== '') result.password = password
  for (const [key, value] of result.searchParams) {
    if (INJECTION.test(key) || INJECTION.test(value)) throw injection('query', url)
  }
  return result
}

function toUrl(input: string): URL {
  if (/[\r\n\t\0]/.test(input)) throw new InvalidArgumentError('a URL must not contain CR, LF, TAB or NUL')
  const port = AUTHORITY.exec(input)?.[1]
  if (port !== undefined && port !== '' && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw new InvalidArgumentError(`bad port ${JSON.stringify(port)} in ${describe(input)}: a port is a number from 1 to 65535`)
  }
  try {
    return new URL(input)
  } catch (cause) {
    throw new InvalidArgumentError(`not a valid URL: ${describe(input)}`, { cause })
  }
}

function parseHost(url: URL): string {
  const hostname = url.hostname
  if (hostname === '') throw new InvalidArgumentError(`missing host in ${describe(url.href)}`)
  if (hostname.startsWith('[')) return hostname.slice(1, -1)
  // ftp is a WHATWG "special" scheme whose host URL already decodes and IDNA-encodes; the others
  // (smtp, pop3s, ...) keep an opaque, still percent-encoded host, so finish the job here.
  const decoded = decode(hostname, 'host', url)
  const ascii = domainToASCII(decoded)
  if (ascii === '') throw new InvalidArgumentError(`invalid host in ${describe(url.href)}`)
  return ascii
}

function decode(text: string, part: string, url: URL): string {
  let decoded: string
  try {
    decoded = decodeURIComponent(text)
  } catch (cause) {
    throw new InvalidArgumentError(`malformed percent-encoding in the ${part} of ${describe(url.href)}`, { cause })
  }
  if (INJECTION.test(decoded)) throw injection(part, url)
  return decoded
}

function injection(part: string, url: URL): InvalidArgumentError {
  return new InvalidArgumentError(`the ${part} of ${describe(url.href)} holds a CR, LF or NUL once decoded`)
}

/** describe: the URL for a message, quoted, with its user name and password replaced by `***`. */
function describe(text: string): string {
  return JSON.stringify(text.replace(/^(\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, '$1***@'))
}
