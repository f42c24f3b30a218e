import { createHmac } from 'node:crypto'
import { ProtocolError } from '../errors/index.ts'
import { rejectAuthorizationId, requireCredential } from './require-credential.ts'
import type { SaslCredentials, SaslMechanism } from './sasl-mechanism.ts'

/**
 * CramMd5Mechanism: SASL CRAM-MD5 (RFC 2195 section 2): the answer is the user name, a space, and the
 * lower-case hex HMAC-MD5 of the server's challenge keyed by the password.
 *
 * ```
 * C: AUTH CRAM-MD5
 * S: 334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
 *                                 ("<1896.697170952@postoffice.reston.mci.net>")
 * C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw
 *                                 ("tim b913a602c7eda7a495b4e6e7334d3890")
 * ```
 * The password never travels, but a captured exchange can be brute-forced offline: prefer SCRAM.
 * CRAM-MD5 cannot carry an authorization identity.
 */
export class CramMd5Mechanism implements SaslMechanism {
  readonly name = 'CRAM-MD5'
  readonly #username: string
  readonly #password: string
  #answered = false

  constructor(credentials: SaslCredentials) {
    rejectAuthorizationId(credentials, this.name)
    this.#username = requireCredential(credentials, 'username', this.name)
    this.#password = requireCredential(credentials, 'password', this.name)
  }

  initialResponse(): undefined {
    return undefined
  }

  respond(challenge: Buffer): Buffer {
    if (this.#answered) throw new ProtocolError('SASL CRAM-MD5: unexpected second server challenge')
    if (challenge.length === 0) throw new ProtocolError('SASL CRAM-MD5: empty server challenge')
    this.#answered = true
    const digest = createHmac('md5', this.#password).update(challenge).digest('hex')
    return Buffer.from(`${this.#username} ${digest}`, 'utf8')
  }

  verifyFinal(): void {}
}
