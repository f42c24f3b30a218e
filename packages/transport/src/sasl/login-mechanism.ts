import { ProtocolError } from '../errors/index.ts'
import { rejectAuthorizationId, requireCredential } from './require-credential.ts'
import type { SaslCredentials, SaslMechanism } from './sasl-mechanism.ts'

/**
 * LoginMechanism: SASL LOGIN (draft-murchison-sasl-login-00 section 2): the server prompts twice, the
 * client answers the user name, then the password.
 *
 * ```
 * C: AUTH LOGIN
 * S: 334 VXNlcm5hbWU6            ("Username:")
 * C: dGlt                        ("tim")
 * S: 334 UGFzc3dvcmQ6            ("Password:")
 * C: dGFuc3RhYWZ0YW5zdGFhZg==    (the password: never log it)
 * S: 235 2.7.0 Authentication successful
 * ```
 * The prompts' text is not checked (the draft says clients must not rely on it; servers vary), only their
 * count: a third challenge is a `ProtocolError`. LOGIN cannot carry an authorization identity.
 */
export class LoginMechanism implements SaslMechanism {
  readonly name = 'LOGIN'
  readonly #answers: readonly Buffer[]
  #step = 0

  constructor(credentials: SaslCredentials) {
    rejectAuthorizationId(credentials, this.name)
    const username = requireCredential(credentials, 'username', this.name)
    const password = requireCredential(credentials, 'password', this.name)
    this.#answers = [Buffer.from(username, 'utf8'), Buffer.from(password, 'utf8')]
  }

  initialResponse(): undefined {
    return undefined
  }

  respond(_challenge: Buffer): Buffer {
    const answer = this.#answers[this.#step]
    if (answer === undefined) throw new ProtocolError('SASL LOGIN: unexpected third server challenge')
    this.#step += 1
    return Buffer.from(answer)
  }

  verifyFinal(): void {}
}
