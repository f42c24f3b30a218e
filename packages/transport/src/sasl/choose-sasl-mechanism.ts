import type { SaslCredentials, SaslMechanismName } from './sasl-mechanism.ts'

const TOKEN_PREFERENCE: readonly SaslMechanismName[] = ['OAUTHBEARER', 'XOAUTH2']
const PASSWORD_PREFERENCE: readonly SaslMechanismName[] = ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'CRAM-MD5', 'PLAIN', 'LOGIN']
const CARRIES_AUTHORIZATION_ID: ReadonlySet<SaslMechanismName> = new Set(['OAUTHBEARER', 'SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN'])

/** ChooseSaslMechanismOptions: narrows the choice. */
export interface ChooseSaslMechanismOptions {
  /** Only these mechanisms may be chosen (case-insensitive); the preference order stays netc's. */
  allow?: readonly string[]
}

/**
 * chooseSaslMechanism: the strongest mechanism that both the server offers and the credentials can feed,
 * or `undefined` when there is none. `offered` comes from the server's capabilities, e.g. the words of
 * `250-AUTH PLAIN LOGIN SCRAM-SHA-256` (RFC 4954 section 3), `SASL ...` in POP3 CAPA (RFC 2449 section 6.3) or
 * `SASL ...` in NNTP CAPABILITIES (RFC 4643 section 2.1); names match case-insensitively.
 *
 * With an `accessToken`: OAUTHBEARER, then XOAUTH2. With a `password`: SCRAM-SHA-256, SCRAM-SHA-1,
 * CRAM-MD5, PLAIN, LOGIN. With both, the token mechanisms come first. With an `authorizationId`, only
 * the mechanisms that can carry it (PLAIN, SCRAM, OAUTHBEARER). Whether a cleartext mechanism may run on
 * an unencrypted connection is the protocol client's decision (`allowInsecureAuth`), not this one's.
 */
export function chooseSaslMechanism(
  offered: readonly string[],
  credentials: SaslCredentials,
  options: ChooseSaslMechanismOptions = {},
): SaslMechanismName | undefined {
  const offeredNames = new Set(offered.map((name) => name.toUpperCase()))
  const allowed = options.allow === undefined ? undefined : new Set(options.allow.map((name) => name.toUpperCase()))
  const candidates = [
    ...(credentials.accessToken ? TOKEN_PREFERENCE : []),
    ...(credentials.password ? PASSWORD_PREFERENCE : []),
  ]
  const needsAuthorizationId = credentials.authorizationId !== undefined && credentials.authorizationId !== ''
  return candidates.find(
    (name) =>
      offeredNames.has(name) &&
      (allowed === undefined || allowed.has(name)) &&
      (!needsAuthorizationId || CARRIES_AUTHORIZATION_ID.has(name)),
  )
}
