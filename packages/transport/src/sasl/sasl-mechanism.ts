/**
 * The client side of a SASL mechanism (RFC 4422), independent of the protocol that carries it. SMTP
 * (RFC 4954, `334`), POP3 (RFC 5034, `+ `) and NNTP (RFC 4643, `383`) only differ in how a challenge
 * arrives; `runSasl` drives the exchange and a `SaslMechanism` computes the bytes.
 *
 * Every response a mechanism returns carries a secret (a password, a proof, a token): it must never be
 * logged, traced or put in an error message. Protocol clients redact SASL payloads everywhere.
 */

/** The mechanisms netc implements, as their IANA names. */
export type SaslMechanismName =
  | 'PLAIN'
  | 'LOGIN'
  | 'CRAM-MD5'
  | 'XOAUTH2'
  | 'OAUTHBEARER'
  | 'SCRAM-SHA-1'
  | 'SCRAM-SHA-256'

/** saslMechanismNames: every mechanism netc implements, in no particular order. */
export const saslMechanismNames: readonly SaslMechanismName[] = Object.freeze([
  'PLAIN',
  'LOGIN',
  'CRAM-MD5',
  'XOAUTH2',
  'OAUTHBEARER',
  'SCRAM-SHA-1',
  'SCRAM-SHA-256',
])

/**
 * SaslCredentials: who logs in, and with what. Password mechanisms need `password`, the OAuth 2.0 ones
 * (XOAUTH2, OAUTHBEARER) need `accessToken`. `authorizationId` asks to act as another identity (RFC 4422
 * section 2); only PLAIN, SCRAM and OAUTHBEARER can carry it.
 */
export interface SaslCredentials {
  /** The authentication identity (RFC 4422 `authcid`): the user name or mailbox. */
  username: string
  /** The password, for PLAIN, LOGIN, CRAM-MD5 and SCRAM. */
  password?: string
  /** An OAuth 2.0 bearer token, for XOAUTH2 and OAUTHBEARER. */
  accessToken?: string
  /** The identity to act as (RFC 4422 `authzid`), when it differs from `username`. */
  authorizationId?: string
}

/** SaslMechanismOptions: the knobs some mechanisms take; all optional. */
export interface SaslMechanismOptions {
  /** SCRAM: the client nonce (printable ASCII, no comma). Random (18 bytes, base64) when absent; inject it only in tests. */
  clientNonce?: string
  /** SCRAM: the highest iteration count a server may ask for (a CPU bound against a hostile server); 100,000 by default. */
  maxIterations?: number
  /** OAUTHBEARER: the server's host name, sent as `host=` (RFC 7628 section 3.1). */
  host?: string
  /** OAUTHBEARER: the server's port, sent as `port=` (RFC 7628 section 3.1). */
  port?: number
}

/**
 * SaslMechanism: one authentication attempt with one mechanism, a small state machine used once.
 *
 * ```
 * C: AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm      initialResponse()
 * S: 235 2.7.0 Authentication successful           verifyFinal(undefined)
 * ```
 * Responses are secrets: never log them.
 */
export interface SaslMechanism {
  /** The IANA name sent after `AUTH`, e.g. `SCRAM-SHA-256`. */
  readonly name: SaslMechanismName
  /**
   * The initial response (SCRAM's client-first message, PLAIN's whole message), or `undefined` when the
   * mechanism waits for the server's first challenge (LOGIN, CRAM-MD5). Computed once; later calls return
   * the same bytes.
   */
  initialResponse(): Buffer | undefined
  /**
   * The response to one server challenge (already base64-decoded). Throws `ProtocolError` on a malformed
   * or unexpected challenge (a wrong SCRAM server signature, a third LOGIN prompt).
   */
  respond(challenge: Buffer): Buffer
  /**
   * Checks the additional data that came with the server's success reply (SCRAM's `v=...`, RFC 4422
   * section 5 item 3), `undefined` when there was none. Throws `ProtocolError` when the server did not
   * prove itself; a no-op for mechanisms without mutual authentication.
   */
  verifyFinal(serverData: Buffer | undefined): void
}
