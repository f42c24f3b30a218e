import { FtpClient, ReplyError, type FtpClientOptions } from '@netc/ftp'
import type { CommonOptions } from '../common/common-options.ts'
import { resolveTarget, timeoutsOf, tlsSettings, traceOf, type Target } from '../common/resolve-target.ts'
import { connectStep } from '../common/step.ts'
import type { StdinText } from '../common/stdin-text.ts'

/** FtpTarget: a logged-in client and the URL's path (relative to the login directory). */
export interface FtpTarget {
  ftp: FtpClient
  path: string
  target: Target
}

/**
 * openFtp: connects and logs in for an `ftp://` or `ftps://` URL (RFC 1738 section 3.2). `--tls required`
 * is AUTH TLS (RFC 4217); `opportunistic` tries AUTH TLS and falls back to plaintext when the server
 * refuses it; the default for `ftp://` is plaintext, as ftplib's `FTP` class.
 */
export async function openFtp(url: string, options: CommonOptions, stdin: StdinText): Promise<FtpTarget> {
  const target = await resolveTarget(url, 'ftp', options, stdin)
  const { host, port } = target.url
  const base: FtpClientOptions = { host, port, tls: await tlsSettings(options) }
  if (target.user !== undefined) base.user = target.user
  if (target.password !== undefined) base.password = target.password
  const timeouts = timeoutsOf(options)
  if (timeouts !== undefined) base.timeouts = timeouts
  const debug = traceOf(options)
  if (debug !== undefined) base.debug = debug
  const secure = target.url.implicitTls ? 'implicit' : options.tls === 'required' || options.tls === 'opportunistic' ? 'explicit' : false
  const ftp = await connectStep(host, port, target.user ?? 'anonymous', async () => {
    try {
      return await FtpClient.connect({ ...base, secure })
    } catch (error) {
      const authRefused = ReplyError.isInstance(error) && /^AUTH /i.test(error.command ?? '')
      if (options.tls !== 'opportunistic' || !authRefused) throw error
      return FtpClient.connect({ ...base, secure: false })
    }
  })
  return { ftp, path: target.url.path, target }
}

/** splitRemote: `dave/dave.txt` → `['dave', 'dave.txt']`; `dave.txt` → `['', 'dave.txt']`. */
export function splitRemote(path: string): [directory: string, name: string] {
  const slash = path.lastIndexOf('/')
  return slash === -1 ? ['', path] : [path.slice(0, slash) || '/', path.slice(slash + 1)]
}
