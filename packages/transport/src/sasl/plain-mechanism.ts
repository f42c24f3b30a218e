import { ProtocolError } from '../errors/index.ts'
import { assertExcludes, requireCredential } from './require-credential.ts'
import type { SaslCredentials, SaslMechanism } from './sasl-mechanism.ts'

/**
 * PlainMechanism: SASL PLAIN (RFC 4616 section 2), `[authzid] NUL authcid NUL passwd` in one message.
 *
 * ```
 * C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm        (base64 of "\0tim\0tanstaaftanstaaf")
 * S: 235 2.7.0 Authentication successful
 * ```
 * The password travels in clear inside the base64: use it over TLS only. Never log the response.
 */
export class PlainMechanism implements SaslMechanism {
  readonly name = 'PLAIN'
  readonly #message: Buffer
  #sent = false

  constructor(credentials: SaslCredentials) {
    const username = requireCredential(credentials, 'username', this.name)
    const password = requireCredential(credentials, 'password', this.name)
    const authorizationId = credentials.authorizationId ?? ''
    assertExcludes(username, /\0/, 'username', this.name)
    assertExcludes(password, /\0/, 'password', this.name)
    assertExcludes(authorizationId, /\0/, 'authorizationId', this.name)
    this.#message = Buffer.from(`${authorizationId}\0${username}\0${password}`, 'utf8')
  }

  initialResponse(): Buffer {
    this.#sent = true
    return Buffer.from(this.#message)
  }

  respond(challenge: Buffer): Buffer {
    // RFC 4616 section 2: the server sends no challenge once it has the message.
    if (this.#sent || challenge.length > 0) throw new ProtocolError('SASL PLAIN: unexpected server challenge')
    this.#sent = true
    return Buffer.from(this.#message)
  }

  verifyFinal(): void {}
}
