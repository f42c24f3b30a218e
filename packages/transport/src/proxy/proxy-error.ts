import { ConnectionError } from '../errors/index.ts'
import type { NetcErrorOptions } from '../errors/index.ts'

/**
 * ProxyError: the proxy refused the tunnel: bad credentials, a target it may not reach, an HTTP status
 * other than 2xx. A `ConnectionError` (code `ERR_NETC_CONNECTION`), with the proxy (as a URL without
 * credentials) and its answer: the HTTP status (RFC 9110 section 15), or the SOCKS5 reply code
 * (RFC 1928 section 6; 0x02 "not allowed by ruleset", 0x05 "refused").
 *
 * ```ts
 * // C: CONNECT mail.example.com:25 HTTP/1.1   S: HTTP/1.1 403 Forbidden
 * // → ProxyError 'proxy http://gw:3128 refused CONNECT mail.example.com:25: 403 Forbidden' (status 403)
 * ```
 */
export class ProxyError extends ConnectionError {
  static override readonly kind: string = 'ProxyError'
  /** The proxy, as a URL without its credentials. */
  readonly proxy: string
  /** The HTTP status, or the SOCKS5 reply code; undefined when the proxy gave none (an auth failure). */
  readonly status: number | undefined

  constructor(message: string, options: NetcErrorOptions & { proxy: string; status?: number | undefined }) {
    super(message, options)
    this.proxy = options.proxy
    this.status = options.status
  }
}
