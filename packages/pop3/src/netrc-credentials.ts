import { lookupNetrc, readNetrc } from '@netc/transport'
import type { ResolvedPop3Options } from './resolve-client-options.ts'

/**
 * withNetrcCredentials: with `netrc: true`, fills missing credentials from `~/.netrc` (or `$NETRC`), as
 * curl `-n` and Python do: the `machine` entry for the host (or `default`); when the URL already names a
 * user without a password, only that user's entry (or one without a login) gives the password.
 *
 * ```
 * machine pop.example.com login dave password secret
 * ```
 */
export async function withNetrcCredentials(options: ResolvedPop3Options): Promise<ResolvedPop3Options> {
  if (options.netrc !== true) return options
  const auth = options.auth
  const missingPassword = auth !== undefined && 'pass' in auth && auth.pass === ''
  if (auth !== undefined && !missingPassword) return options
  const entry = lookupNetrc(await readNetrc(), options.host, auth?.user)
  const user = auth?.user ?? entry?.login
  if (entry?.password === undefined || user === undefined) return options
  return { ...options, auth: { user, pass: entry.password } }
}
