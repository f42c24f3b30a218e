import { InvalidArgumentError, parseNetcUrl, resolveConnector, type TlsSettings } from '@netc/transport'
import type { Pop3Auth, Pop3ClientOptions, Pop3TlsMode } from './pop3-client-options.ts'

/** ResolvedPop3Options: the options with the URL folded in and defaults filled. */
export interface ResolvedPop3Options extends Omit<Pop3ClientOptions, 'tls' | 'host' | 'port'> {
  host: string
  port: number
  tlsMode: Pop3TlsMode
  tlsSettings: TlsSettings
}

const TLS_MODES: readonly Pop3TlsMode[] = ['implicit', 'required', 'opportunistic', 'none']

/**
 * resolveClientOptions: one set of options from `Pop3Client.connect(url | options, options?)`. A
 * `pop3://` URL means opportunistic STLS on port 110, `pop3s://` implicit TLS on 995; explicit options win
 * over the URL; the URL's user and password become `auth` when none is given.
 */
export function resolveClientOptions(target: string | URL | Pop3ClientOptions, extra: Pop3ClientOptions = {}): ResolvedPop3Options {
  const fromUrl = typeof target === 'string' || target instanceof URL ? optionsFromUrl(target) : target
  const merged: Pop3ClientOptions = { ...fromUrl, ...definedOnly(extra) }
  const { tls, host, port, ...rest } = merged
  const { mode: objectMode, ...tlsSettings } = typeof tls === 'object' ? tls : {}
  // `pop3s://` with `{ tls: { ca } }`: the settings come from the options, the mode from the URL.
  const tlsMode = (typeof tls === 'string' ? tls : (objectMode ?? modeOf(extra.tls) ?? modeOf(fromUrl.tls))) ?? 'opportunistic'
  if (!TLS_MODES.includes(tlsMode)) throw new InvalidArgumentError(`unknown tls mode ${JSON.stringify(tlsMode)} (${TLS_MODES.join(', ')})`)
  if (host === undefined || host === '') throw new InvalidArgumentError('host is required')
  const resolvedPort = port ?? (tlsMode === 'implicit' ? 995 : 110)
  const resolved: ResolvedPop3Options = { ...rest, host, port: resolvedPort, tlsMode, tlsSettings }
  // A proxy given (or refused) by name becomes the seam; absent, the transport consults the environment.
  if (rest.proxy !== undefined) resolved.connect = resolveConnector({ proxy: rest.proxy, connect: rest.connect, protocol: 'pop3', host, port: resolvedPort }).connect
  return resolved
}

function modeOf(tls: Pop3ClientOptions['tls']): Pop3TlsMode | undefined {
  return typeof tls === 'string' ? tls : tls?.mode
}

function optionsFromUrl(url: string | URL): Pop3ClientOptions {
  const parsed = parseNetcUrl(url)
  if (parsed.protocol !== 'pop3') throw new InvalidArgumentError(`not a POP3 URL: ${parsed.scheme}://`)
  const options: Pop3ClientOptions = { host: parsed.host, port: parsed.port, tls: parsed.implicitTls ? 'implicit' : 'opportunistic' }
  if (parsed.username !== undefined) {
    const auth: Pop3Auth = { user: parsed.username, pass: parsed.password ?? '' }
    options.auth = auth
  }
  return options
}

/** definedOnly: the options given explicitly; `{ port: undefined }` must not erase the URL's port. */
function definedOnly(options: Pop3ClientOptions): Pop3ClientOptions {
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) if (value !== undefined) result[key] = value
  return result
}
