import type { NetrcEntry } from './parse-netrc.ts'

/**
 * lookupNetrc: the credentials for `host`: the first `machine` entry naming it (case-insensitively,
 * IPv6 brackets ignored), else the first `default` entry, else `undefined`.
 *
 * With `login` (the URL already names a user), only entries for that login match, or entries without
 * any login (their password is taken as that user's, as curl and Python do):
 * `lookupNetrc(entries, 'ftp.example.com', 'dave')` skips `machine ftp.example.com login anna ...`.
 */
export function lookupNetrc(entries: readonly NetrcEntry[], host: string, login?: string): NetrcEntry | undefined {
  const wanted = normalizeHost(host)
  const fits = (entry: NetrcEntry): boolean => login === undefined || entry.login === undefined || entry.login === login
  return (
    entries.find((entry) => entry.machine !== undefined && normalizeHost(entry.machine) === wanted && fits(entry)) ??
    entries.find((entry) => entry.machine === undefined && fits(entry))
  )
}

function normalizeHost(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').toLowerCase()
}
