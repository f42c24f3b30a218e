import { readFile } from 'node:fs/promises'
import { lookupNetrc, parseNetcUrl, readNetrc, type NetcProtocol, type NetcUrl, type TlsSettings } from '@netc/transport'
import { usageError } from './cli-error.ts'
import type { CommonOptions } from './common-options.ts'
import { reasonOf } from './step.ts'
import type { StdinText } from './stdin-text.ts'
import { warn } from './terminal.ts'

/** Target: a URL taken apart, with the credentials from the URL, netrc or stdin. */
export interface Target {
  url: NetcUrl
  user: string | undefined
  password: string | undefined
}

/**
 * resolveTarget: the URL of a command, checked for its protocol, with credentials filled from
 * `--password-stdin` and `--netrc`/`--netrc-file` (RFC 1738 for the URL syntax; the netrc as curl reads it).
 *
 * ```
 * netc pop3 ls pop3://dave@pop.example.com --netrc      // password from "machine pop.example.com login dave password ..."
 * ```
 */
export async function resolveTarget(text: string, protocol: NetcProtocol, options: CommonOptions, stdin: StdinText): Promise<Target> {
  let url: NetcUrl
  try {
    url = parseNetcUrl(text)
  } catch (error) {
    throw usageError(`bad URL: ${reasonOf(error)}`)
  }
  if (url.protocol !== protocol) throw usageError(`not a ${protocol.toUpperCase()} URL: ${url.scheme}:// (use ${protocol}:// or ${protocol}s://)`)
  let user = url.username
  let password = url.password
  if (options.passwordStdin === true) password = await stdin.password()
  if ((options.netrc === true || options.netrcFile !== undefined) && (user === undefined || password === undefined)) {
    const path = options.netrcFile
    const entry = lookupNetrc(await readNetrc(path === undefined ? {} : { path }), url.host, user)
    user ??= entry?.login
    password ??= entry?.password
  }
  return { url, user, password }
}

/** tlsSettings: `--ca` and `--insecure` as TLS settings (certificates are verified unless `--insecure`). */
export async function tlsSettings(options: CommonOptions): Promise<TlsSettings> {
  const settings: TlsSettings = {}
  if (options.ca !== undefined) {
    try {
      settings.ca = await readFile(options.ca, 'utf8')
    } catch (error) {
      throw usageError(`cannot read the CA file "${options.ca}": ${reasonOf(error)}`)
    }
  }
  if (options.insecure === true) {
    warn('--insecure: the server certificate is not verified; anyone on the path can read and change this session')
    settings.rejectUnauthorized = false
  }
  return settings
}

/** timeouts: `--timeout` for connecting, the greeting, each reply and each silence in a transfer. */
export function timeoutsOf(options: CommonOptions): { connect: number; greeting: number; reply: number; data: number } | undefined {
  const ms = options.timeout
  return ms === undefined ? undefined : { connect: ms, greeting: ms, reply: ms, data: ms }
}

/** traceOf: `--trace` as a client `debug` option writing the transcript to stderr. */
export function traceOf(options: CommonOptions): ((line: string) => void) | undefined {
  return options.trace === true ? (line: string) => process.stderr.write(`${line}\n`) : undefined
}
