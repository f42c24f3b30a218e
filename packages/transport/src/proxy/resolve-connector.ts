import { connectSocket, type ConnectFunction } from '../connection/connect-socket.ts'
import { createHttpConnectConnect } from './create-http-connect-connect.ts'
import { createSocksConnect } from './create-socks-connect.ts'
import { proxyFromEnvironment, type ProxyEnvironment } from './proxy-from-environment.ts'
import { parseProxyUrl, type ProxySettings } from './proxy-settings.ts'

/**
 * ProxyOption: the `proxy` option of every client: a proxy URL (`socks5h://user:pass@gw:1080`,
 * `http://gw:3128`), `ProxySettings`, `false` (never, not even from the environment), or absent (the
 * environment decides: `proxyFromEnvironment`).
 */
export type ProxyOption = string | ProxySettings | false

/** What `resolveConnector` needs: the caller's `proxy` and `connect` options, and the target. */
export interface ResolveConnectorOptions {
  proxy?: ProxyOption | undefined
  connect?: ConnectFunction | undefined
  protocol: string
  host: string
  port: number
  /** The environment to read (default `process.env`). */
  env?: ProxyEnvironment | undefined
}

/** The route that connections take: the connect function, and the proxy it goes through, if any. */
export interface ResolvedConnector {
  connect: ConnectFunction
  proxy: ProxySettings | undefined
}

/**
 * resolveConnector: decides how a client reaches its server:
 * - `proxy: false`: directly, through `connect` (default TCP);
 * - `proxy` set: through that proxy, which is itself reached through `connect` (so a proxy can sit behind
 *   another seam);
 * - `proxy` absent and a `connect` seam given: through the seam alone (the seam is the caller's own route,
 *   the environment does not wrap it);
 * - `proxy` and `connect` absent: through the environment's proxy (`proxyFromEnvironment`), as curl applies
 *   `ALL_PROXY` by default, else directly.
 *
 * ```ts
 * resolveConnector({ proxy: 'http://gw:3128', protocol: 'nntp', host: 'news.example.org', port: 119 }).proxy
 * // { type: 'http', host: 'gw', port: 3128, tls: false }
 * ```
 */
export function resolveConnector(options: ResolveConnectorOptions): ResolvedConnector {
  const { proxy, connect } = options
  if (proxy === false) return { connect: connect ?? connectSocket, proxy: undefined }
  if (proxy !== undefined) {
    const settings = typeof proxy === 'string' ? parseProxyUrl(proxy) : proxy
    return { connect: createProxyConnect(settings, connect), proxy: settings }
  }
  if (connect !== undefined) return { connect, proxy: undefined }
  const settings = proxyFromEnvironment(options.protocol, options.host, options.port, options.env)
  return settings === undefined ? { connect: connectSocket, proxy: undefined } : { connect: createProxyConnect(settings, undefined), proxy: settings }
}

/**
 * createProxyConnect: the `ConnectFunction` for one proxy: `createSocksConnect` or
 * `createHttpConnectConnect`, reaching the proxy through `connect` (default TCP).
 */
export function createProxyConnect(settings: ProxySettings, connect: ConnectFunction | undefined): ConnectFunction {
  if (settings.type === 'socks5') return createSocksConnect({ ...settings, connect })
  return createHttpConnectConnect({ ...settings, connect })
}
