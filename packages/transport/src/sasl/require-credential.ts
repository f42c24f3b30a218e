import { InvalidArgumentError } from '../errors/index.ts'
import type { SaslCredentials, SaslMechanismName } from './sasl-mechanism.ts'

/**
 * requireCredential: the named credential, or `InvalidArgumentError` when it is missing or empty. Thrown
 * before anything is sent, so a missing password never becomes an empty `AUTH PLAIN`.
 */
export function requireCredential(
  credentials: SaslCredentials,
  field: 'username' | 'password' | 'accessToken',
  mechanism: SaslMechanismName,
): string {
  const value = credentials[field]
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError(`SASL ${mechanism} needs credentials.${field}`)
  }
  return value
}

/**
 * assertExcludes: throws `InvalidArgumentError` when a credential holds a character that would break the
 * mechanism's framing (a NUL in PLAIN, a ^A in XOAUTH2). The message names the field, never its value.
 */
export function assertExcludes(value: string, forbidden: RegExp, what: string, mechanism: SaslMechanismName): void {
  if (forbidden.test(value)) {
    throw new InvalidArgumentError(`SASL ${mechanism}: ${what} contains a character the mechanism cannot carry`)
  }
}

/** rejectAuthorizationId: `InvalidArgumentError` for mechanisms that have no way to send an authzid. */
export function rejectAuthorizationId(credentials: SaslCredentials, mechanism: SaslMechanismName): void {
  if (credentials.authorizationId !== undefined && credentials.authorizationId !== '') {
    throw new InvalidArgumentError(`SASL ${mechanism} cannot carry an authorization identity`)
  }
}

/** CONTROL_CHARACTER: matches a C0 or C1 control character or DEL, which no SASL credential may hold. */
export const CONTROL_CHARACTER = /[^\u0020-\u007e\u00a0-\u{10ffff}]/u

/** NOT_VISIBLE_ASCII: matches anything but visible ASCII (`%x21-7E`), the alphabet of tokens and host names. */
export const NOT_VISIBLE_ASCII = /[^!-~]/
