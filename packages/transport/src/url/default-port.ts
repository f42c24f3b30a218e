import { InvalidArgumentError } from '../errors/index.ts'

/** The URL schemes netc speaks: each protocol, plain (or STARTTLS later) and with implicit TLS. */
export type NetcScheme = 'ftp' | 'ftps' | 'smtp' | 'smtps' | 'pop3' | 'pop3s' | 'nntp' | 'nntps'

/** The protocols behind the schemes. */
export type NetcProtocol = 'ftp' | 'smtp' | 'pop3' | 'nntp'

const DEFAULT_PORTS: Readonly<Record<NetcScheme, number>> = Object.freeze({
  ftp: 21, // RFC 959
  ftps: 990, // IANA "ftps" (implicit TLS; RFC 4217 only defines explicit AUTH TLS)
  smtp: 25, // RFC 5321 (587, submission, is the caller's choice)
  smtps: 465, // RFC 8314 (implicit TLS submission)
  pop3: 110, // RFC 1939 section 3
  pop3s: 995, // RFC 8314
  nntp: 119, // RFC 3977
  nntps: 563, // IANA "nntps" (RFC 4642 describes STARTTLS on 119 instead)
})

/** netcSchemes: every scheme `parseNetcUrl` accepts, `['ftp', 'ftps', 'smtp', ...]`. */
export const netcSchemes: readonly NetcScheme[] = Object.freeze(Object.keys(DEFAULT_PORTS) as NetcScheme[])

/** isNetcScheme: true when `value` (lower-case, without the colon) is one of `netcSchemes`. */
export function isNetcScheme(value: string): value is NetcScheme {
  return Object.hasOwn(DEFAULT_PORTS, value)
}

/**
 * defaultPort: the IANA port of a scheme, used when a URL names none: `defaultPort('smtps')` is 465,
 * `defaultPort('nntp')` 119. The scheme is matched case-insensitively, with or without its colon
 * (`'POP3S:'`); an unknown one is an `InvalidArgumentError`.
 */
export function defaultPort(scheme: string): number {
  const name = scheme.toLowerCase().replace(/:$/, '')
  if (!isNetcScheme(name)) throw new InvalidArgumentError(`unsupported scheme ${JSON.stringify(scheme)} (netc speaks ${netcSchemes.join(', ')})`)
  return DEFAULT_PORTS[name]
}
