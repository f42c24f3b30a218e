import { InvalidArgumentError } from '../errors/index.ts'
import { CramMd5Mechanism } from './cram-md5-mechanism.ts'
import { LoginMechanism } from './login-mechanism.ts'
import { OauthbearerMechanism } from './oauthbearer-mechanism.ts'
import { PlainMechanism } from './plain-mechanism.ts'
import { saslMechanismNames, type SaslCredentials, type SaslMechanism, type SaslMechanismName, type SaslMechanismOptions } from './sasl-mechanism.ts'
import { ScramMechanism } from './scram-mechanism.ts'
import { Xoauth2Mechanism } from './xoauth2-mechanism.ts'

/** isSaslMechanismName: true when `name` (already upper-case) is a mechanism netc implements. */
export function isSaslMechanismName(name: string): name is SaslMechanismName {
  return (saslMechanismNames as readonly string[]).includes(name)
}

/**
 * createSaslMechanism: a fresh mechanism for one attempt, by its IANA name (case-insensitive), e.g.
 * `createSaslMechanism('scram-sha-256', { username: 'user', password: 'pencil' })` for the exchange that
 * starts with `AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9...` (RFC 4422 section 3.1).
 *
 * Throws `InvalidArgumentError` for an unknown name, a missing credential (no password for PLAIN, no
 * token for XOAUTH2), an authorization identity the mechanism cannot carry (LOGIN, CRAM-MD5, XOAUTH2) or a
 * credential the mechanism cannot frame (a NUL in a PLAIN password). Messages never quote a secret.
 */
export function createSaslMechanism(name: string, credentials: SaslCredentials, options: SaslMechanismOptions = {}): SaslMechanism {
  const canonical = name.toUpperCase()
  if (!isSaslMechanismName(canonical)) {
    throw new InvalidArgumentError(`unknown SASL mechanism ${JSON.stringify(name)} (netc implements ${saslMechanismNames.join(', ')})`)
  }
  switch (canonical) {
    case 'PLAIN':
      return new PlainMechanism(credentials)
    case 'LOGIN':
      return new LoginMechanism(credentials)
    case 'CRAM-MD5':
      return new CramMd5Mechanism(credentials)
    case 'XOAUTH2':
      return new Xoauth2Mechanism(credentials)
    case 'OAUTHBEARER':
      return new OauthbearerMechanism(credentials, options)
    case 'SCRAM-SHA-1':
    case 'SCRAM-SHA-256':
      return new ScramMechanism(canonical, credentials, options)
  }
}
