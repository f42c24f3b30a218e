import type { CommonOptions } from './common-options.ts'
import { timeoutsOf, tlsSettings, traceOf, type Target } from './resolve-target.ts'
import type { TlsSettings } from '@netc/transport'

/** SessionOptions: what SmtpClient, Pop3Client and NntpClient share in their connect options. */
export interface SessionOptions {
  host: string
  port: number
  tls: TlsSettings & { mode: 'implicit' | 'required' | 'opportunistic' | 'none' }
  auth?: { user: string; pass: string }
  timeouts?: { connect: number; greeting: number; reply: number; data: number }
  debug?: (line: string) => void
}

/**
 * sessionOptions: the connect options for SMTP, POP3 and NNTP from a target and the common options:
 * `smtps://`, `pop3s://`, `nntps://` are implicit TLS (RFC 8314); otherwise `--tls` (default
 * `opportunistic`: STARTTLS when offered, RFC 3207, 2595, 4642).
 *
 * ```
 * netc pop3 ls pop3://dave:secret@pop.example.com --tls required --ca ca.pem
 * ```
 */
export async function sessionOptions(target: Target, options: CommonOptions): Promise<SessionOptions> {
  const mode = target.url.implicitTls ? 'implicit' : (options.tls ?? 'opportunistic')
  const result: SessionOptions = { host: target.url.host, port: target.url.port, tls: { ...(await tlsSettings(options)), mode } }
  if (target.user !== undefined) result.auth = { user: target.user, pass: target.password ?? '' }
  const timeouts = timeoutsOf(options)
  if (timeouts !== undefined) result.timeouts = timeouts
  const debug = traceOf(options)
  if (debug !== undefined) result.debug = debug
  return result
}
