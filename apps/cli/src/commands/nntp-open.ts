import { NntpClient } from '@netc/nntp'
import type { CommonOptions } from '../common/common-options.ts'
import { resolveTarget, type Target } from '../common/resolve-target.ts'
import { sessionOptions } from '../common/session-options.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { connectStep } from '../common/step.ts'

/** NntpTarget: a connected (and, with a user, logged-in) client and the URL's path (`group/n` or a message-id). */
export interface NntpTarget {
  news: NntpClient
  path: string
  target: Target
}

/**
 * openNntp: connects for an `nntp://` or `nntps://` URL (RFC 5538): STARTTLS when offered (RFC 4642), then
 * AUTHINFO when the URL or netrc names a user (RFC 4643).
 *
 * ```
 * const { news, path } = await openNntp('nntp://news.example.org/comp.lang.python', options, stdin)
 * ```
 */
export async function openNntp(url: string, options: CommonOptions, stdin: StdinText): Promise<NntpTarget> {
  const target = await resolveTarget(url, 'nntp', options, stdin)
  const settings = await sessionOptions(target, options)
  const news = await connectStep(settings.host, settings.port, target.user, () => NntpClient.connect(settings))
  return { news, path: target.url.path, target }
}
