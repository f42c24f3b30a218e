import { ProtocolError } from '../errors/index.ts'
import { CONTROL_CHARACTER, NOT_VISIBLE_ASCII, assertExcludes, rejectAuthorizationId, requireCredential } from './require-credential.ts'
import type { SaslCredentials, SaslMechanism } from './sasl-mechanism.ts'

/**
 * Xoauth2Mechanism: Google's XOAUTH2 (developers.google.com/gmail/imap/xoauth2-protocol), an OAuth 2.0
 * bearer token in `user=<user>^Aauth=Bearer <token>^A^A`.
 *
 * ```
 * C: AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==
 * S: 235 2.7.0 Accepted
 * ```
 * On failure the server first sends a challenge holding a JSON error (kept in `serverError`); the client
 * answers it with an empty response and the server then fails the command. The token is a secret: never
 * log the response.
 */
export class Xoauth2Mechanism implements SaslMechanism {
  readonly name = 'XOAUTH2'
  /** The server's JSON error text, when it sent one (`{"status":"401","schemes":"Bearer",...}`). */
  serverError: string | undefined
  readonly #message: Buffer

  constructor(credentials: SaslCredentials) {
    rejectAuthorizationId(credentials, this.name)
    const username = requireCredential(credentials, 'username', this.name)
    const token = requireCredential(credentials, 'accessToken', this.name)
    assertExcludes(username, CONTROL_CHARACTER, 'username', this.name)
    assertExcludes(token, NOT_VISIBLE_ASCII, 'accessToken', this.name)
    this.#message = Buffer.from(`user=${username}\x01auth=Bearer ${token}\x01\x01`, 'utf8')
  }

  initialResponse(): Buffer {
    return Buffer.from(this.#message)
  }

  respond(challenge: Buffer): Buffer {
    if (this.serverError !== undefined) throw new ProtocolError('SASL XOAUTH2: unexpected second server challenge')
    this.serverError = challenge.toString('utf8')
    return Buffer.alloc(0)
  }

  verifyFinal(): void {}
}
