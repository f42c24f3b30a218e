import { InvalidArgumentError, ProtocolError } from '../errors/index.ts'
import { gs2Header } from './gs2-header.ts'
import { CONTROL_CHARACTER, NOT_VISIBLE_ASCII, assertExcludes, requireCredential } from './require-credential.ts'
import type { SaslCredentials, SaslMechanism, SaslMechanismOptions } from './sasl-mechanism.ts'

/**
 * OauthbearerMechanism: SASL OAUTHBEARER (RFC 7628 section 3.1): a GS2 header, then `^A`-separated
 * key/value pairs (`host=`, `port=` when known, `auth=Bearer <token>`), closed by `^A^A`.
 *
 * ```
 * C: AUTH OAUTHBEARER bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB
 *    ("n,a=user@example.com,^Ahost=server.example.com^Aport=143^Aauth=Bearer vF9d...^A^A", section 4.1)
 * S: 235 2.7.0 Accepted
 * ```
 * The GS2 `a=` carries `authorizationId`, else `username` (as in the RFC's examples and curl), and is left
 * out when both are empty. On failure the server sends a JSON error challenge (kept in `serverError`) and
 * the client answers with a lone `^A` (section 3.2.3). The token is a secret: never log the response.
 */
export class OauthbearerMechanism implements SaslMechanism {
  readonly name = 'OAUTHBEARER'
  /** The server's JSON error text, when it sent one (`{"status":"invalid_token",...}`). */
  serverError: string | undefined
  readonly #message: Buffer

  constructor(credentials: SaslCredentials, options: SaslMechanismOptions = {}) {
    const token = requireCredential(credentials, 'accessToken', this.name)
    assertExcludes(token, NOT_VISIBLE_ASCII, 'accessToken', this.name)
    const identity = credentials.authorizationId || credentials.username
    assertExcludes(identity, CONTROL_CHARACTER, 'username', this.name)
    const pairs: string[] = []
    if (options.host !== undefined) {
      assertExcludes(options.host, NOT_VISIBLE_ASCII, 'host', this.name)
      pairs.push(`host=${options.host}`)
    }
    if (options.port !== undefined) {
      if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
        throw new InvalidArgumentError(`SASL OAUTHBEARER: port must be an integer from 1 to 65535`)
      }
      pairs.push(`port=${options.port}`)
    }
    pairs.push(`auth=Bearer ${token}`)
    this.#message = Buffer.from(`${gs2Header(identity)}\x01${pairs.join('\x01')}\x01\x01`, 'utf8')
  }

  initialResponse(): Buffer {
    return Buffer.from(this.#message)
  }

  respond(challenge: Buffer): Buffer {
    if (this.serverError !== undefined) throw new ProtocolError('SASL OAUTHBEARER: unexpected second server challenge')
    this.serverError = challenge.toString('utf8')
    return Buffer.from([0x01])
  }

  verifyFinal(): void {}
}
