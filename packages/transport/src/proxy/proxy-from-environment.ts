import { InvalidArgumentError } from '../errors/index.ts'
import { isLoopbackHost } from '../connection/is-loopback-host.ts'
import { matchesNoProxy } from './matches-no-proxy.ts'
import { parseProxyUrl, type ProxySettings } from './proxy-settings.ts'

/** The environment to read: `process.env` unless a test passes its own. */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>

/**
 * proxyFromEnvironment: the proxy that the environment asks for, for one protocol and target, or
 * `undefined` to connect directly. The first variable that is set and not empty wins:
 * `NETC_<PROTOCOL>_PROXY` (`NETC_SMTP_PROXY`), `NETC_PROXY`, `all_proxy`, `ALL_PROXY` (curl's order:
 * lowercase first). Then `no_proxy` / `NO_PROXY` (see `matchesNoProxy`) can exempt the target.
 *
 * Loopback targets (127.0.0.0/8, ::1, localhost) never take a proxy from the environment: curl would
 * send them to the proxy unless NO_PROXY lists them, which almost never is what anyone wants (the proxy
 * would reach its own loopback); the `proxy` option of a client still tunnels to them when asked.
 * `http_proxy` / `https_proxy` are not read: they are for HTTP, and a proxy for web traffic often refuses
 * CONNECT to mail and news ports.
 *
 * ```ts
 * // ALL_PROXY=socks5h://gw:1080 NO_PROXY=.internal.example
 * proxyFromEnvironment('smtp', 'mail.example.com')    // { type: 'socks5', host: 'gw', port: 1080, remoteDns: true }
 * proxyFromEnvironment('smtp', 'mx.internal.example') // undefined
 * ```
 * Errors: `InvalidArgumentError` when the chosen variable is not a proxy URL (the message names the
 * variable, not its value, which may hold a password).
 */
export function proxyFromEnvironment(protocol: string, host: string, port?: number, env: ProxyEnvironment = process.env): ProxySettings | undefined {
  if (isLoopbackHost(host)) return undefined
  const names = [`NETC_${protocol.toUpperCase()}_PROXY`, 'NETC_PROXY', 'all_proxy', 'ALL_PROXY']
  const name = names.find((candidate) => (env[candidate] ?? '').trim() !== '')
  if (name === undefined) return undefined
  const noProxy = [env['no_proxy'], env['NO_PROXY']].find((value) => (value ?? '').trim() !== '') ?? ''
  if (matchesNoProxy(noProxy, host, port)) return undefined
  try {
    return parseProxyUrl((env[name] ?? '').trim())
  } catch (error) {
    throw new InvalidArgumentError(`${name}: ${(error as Error).message}`)
  }
}
