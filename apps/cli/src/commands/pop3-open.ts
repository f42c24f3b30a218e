import { Pop3Client } from '@netc/pop3'
import { usageError } from '../common/cli-error.ts'
import type { CommonOptions } from '../common/common-options.ts'
import { resolveTarget, type Target } from '../common/resolve-target.ts'
import { sessionOptions } from '../common/session-options.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { connectStep } from '../common/step.ts'

/** Pop3Target: a logged-in client and the URL's path (`3` in `pop3://host/3`). */
export interface Pop3Target {
  pop: Pop3Client
  path: string
  target: Target
}

/**
 * openPop3: connects and logs in for a `pop3://` or `pop3s://` URL (RFC 2384): STLS when offered (or
 * `--tls required`), then the strongest login both sides know.
 *
 * ```
 * const { pop } = await openPop3('pop3://dave:secret@pop.example.com', options, stdin)
 * ```
 */
export async function openPop3(url: string, options: CommonOptions, stdin: StdinText): Promise<Pop3Target> {
  const target = await resolveTarget(url, 'pop3', options, stdin)
  if (target.user === undefined) throw usageError('pop3: the URL names no user (pop3://user@host), and no netrc entry does')
  const settings = await sessionOptions(target, options)
  const pop = await connectStep(settings.host, settings.port, target.user, () => Pop3Client.connect(settings))
  return { pop, path: target.url.path, target }
}

/** messageNumber: `3` from the path `3` (or `/3`), a usage error otherwise. */
export function messageNumber(text: string): number {
  const number = Number(text.replace(/^\/+|\/+$/g, ''))
  if (!Number.isInteger(number) || number < 1) throw usageError(`not a message number: "${text}" (use pop3://user@host/3)`)
  return number
}
