import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import { InvalidArgumentError, ProtocolError } from '../errors/index.ts'
import { encodeSaslName, gs2Header } from './gs2-header.ts'
import { isPrintableNonce, parseScramAttributes } from './parse-scram-attributes.ts'
import { decodeBase64Strict } from './sasl-base64.ts'
import { requireCredential } from './require-credential.ts'
import type { SaslCredentials, SaslMechanism, SaslMechanismOptions } from './sasl-mechanism.ts'
import { saslPrep } from './saslprep.ts'

/** The SCRAM variants netc implements, by their mechanism names. */
export type ScramMechanismName = 'SCRAM-SHA-1' | 'SCRAM-SHA-256'

const HASHES: Record<ScramMechanismName, { algorithm: string; length: number }> = {
  'SCRAM-SHA-1': { algorithm: 'sha1', length: 20 },
  'SCRAM-SHA-256': { algorithm: 'sha256', length: 32 },
}

type ScramState =
  | { step: 'initial' }
  | { step: 'sent-first'; clientFirstBare: string }
  | { step: 'sent-final'; serverSignature: Buffer }
  | { step: 'verified'; serverSignature: Buffer }

/**
 * ScramMechanism: SASL SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677), without channel binding.
 * The password never travels and the server proves it knows it too (mutual authentication).
 *
 * ```
 * C: n,,n=user,r=rOprNGfwEbeRWgbNEkqO                                     (client-first, section 5.1)
 * S: r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096
 * C: c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=
 * S: v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=                        (server-final, checked)
 * ```
 * (RFC 7677 section 3, each line base64-encoded on the wire.) The server-final message may arrive as a
 * last challenge (SMTP, answered with an empty response) or with the success reply (`verifyFinal`); a
 * success without it, a wrong signature, an `e=` error, or a server nonce that does not extend the
 * client's is a `ProtocolError`. The user name and password go through `saslPrep` (see there).
 */
export class ScramMechanism implements SaslMechanism {
  readonly name: ScramMechanismName
  readonly #hash: { algorithm: string; length: number }
  readonly #username: string
  readonly #password: string
  readonly #gs2Header: string
  readonly #clientNonce: string
  readonly #maxIterations: number
  #state: ScramState = { step: 'initial' }

  constructor(name: ScramMechanismName, credentials: SaslCredentials, options: SaslMechanismOptions = {}) {
    this.name = name
    this.#hash = HASHES[name]
    this.#username = saslPrep(requireCredential(credentials, 'username', name), 'username')
    this.#password = saslPrep(requireCredential(credentials, 'password', name), 'password')
    this.#gs2Header = gs2Header(credentials.authorizationId)
    this.#clientNonce = options.clientNonce ?? randomBytes(18).toString('base64')
    if (!isPrintableNonce(this.#clientNonce)) {
      throw new InvalidArgumentError(`SASL ${name}: the client nonce must be printable ASCII without a comma`)
    }
    this.#maxIterations = options.maxIterations ?? 100_000
  }

  initialResponse(): Buffer {
    const clientFirstBare = `n=${encodeSaslName(this.#username)},r=${this.#clientNonce}`
    if (this.#state.step === 'initial') this.#state = { step: 'sent-first', clientFirstBare }
    return Buffer.from(this.#gs2Header + clientFirstBare, 'utf8')
  }

  respond(challenge: Buffer): Buffer {
    const state = this.#state
    switch (state.step) {
      case 'initial':
        if (challenge.length > 0) throw new ProtocolError(`SASL ${this.name}: challenge before the client-first message`)
        return this.initialResponse()
      case 'sent-first':
        return this.#clientFinal(state.clientFirstBare, challenge)
      case 'sent-final':
        this.#verify(state.serverSignature, challenge)
        return Buffer.alloc(0)
      case 'verified':
        throw new ProtocolError(`SASL ${this.name}: unexpected challenge after the server-final message`)
    }
  }

  verifyFinal(serverData: Buffer | undefined): void {
    const state = this.#state
    if (state.step !== 'sent-final' && state.step !== 'verified') {
      throw new ProtocolError(`SASL ${this.name}: the server reported success before the exchange completed`)
    }
    if (serverData !== undefined && serverData.length > 0) this.#verify(state.serverSignature, serverData)
    else if (state.step !== 'verified') {
      throw new ProtocolError(`SASL ${this.name}: the server reported success without proving its identity`)
    }
  }

  #clientFinal(clientFirstBare: string, serverFirst: Buffer): Buffer {
    const { nonce, salt, iterations } = this.#parseServerFirst(serverFirst)
    const withoutProof = `c=${Buffer.from(this.#gs2Header, 'utf8').toString('base64')},r=${nonce}`
    const authMessage = `${clientFirstBare},${serverFirst.toString('utf8')},${withoutProof}`
    const { algorithm, length } = this.#hash
    const saltedPassword = pbkdf2Sync(this.#password, salt, iterations, length, algorithm)
    const clientKey = hmac(algorithm, saltedPassword, 'Client Key')
    const storedKey = createHash(algorithm).update(clientKey).digest()
    const clientSignature = hmac(algorithm, storedKey, authMessage)
    const proof = Buffer.alloc(length)
    for (let index = 0; index < length; index += 1) proof[index] = (clientKey[index] ?? 0) ^ (clientSignature[index] ?? 0)
    const serverSignature = hmac(algorithm, hmac(algorithm, saltedPassword, 'Server Key'), authMessage)
    this.#state = { step: 'sent-final', serverSignature }
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'utf8')
  }

  #parseServerFirst(message: Buffer): { nonce: string; salt: Buffer; iterations: number } {
    const attributes = parseScramAttributes(message, 'server-first message')
    const [nonce, salt, iterations] = attributes
    if (nonce?.name === 'm') throw new ProtocolError(`SASL ${this.name}: unsupported mandatory extension`)
    if (nonce?.name !== 'r' || salt?.name !== 's' || iterations?.name !== 'i') {
      throw new ProtocolError(`SASL ${this.name}: the server-first message lacks r=, s= or i=`)
    }
    if (!nonce.value.startsWith(this.#clientNonce) || nonce.value.length === this.#clientNonce.length || !isPrintableNonce(nonce.value)) {
      throw new ProtocolError(`SASL ${this.name}: the server nonce does not extend the client nonce`)
    }
    const count = /^[1-9][0-9]{0,9}$/.test(iterations.value) ? Number(iterations.value) : Number.NaN
    if (!(count <= this.#maxIterations)) {
      throw new ProtocolError(`SASL ${this.name}: iteration count must be from 1 to ${this.#maxIterations}`)
    }
    const saltBytes = decodeBase64Strict(salt.value, `SASL ${this.name}: the salt`)
    if (saltBytes.length === 0) throw new ProtocolError(`SASL ${this.name}: empty salt`)
    return { nonce: nonce.value, salt: saltBytes, iterations: count }
  }

  #verify(expected: Buffer, serverFinal: Buffer): void {
    const [first] = parseScramAttributes(serverFinal, 'server-final message')
    if (first?.name === 'e') {
      const reason = first.value.replace(/[^\x20-\x7e]/g, '?').slice(0, 100)
      throw new ProtocolError(`SASL ${this.name}: the server refused: ${reason}`)
    }
    if (first?.name !== 'v') throw new ProtocolError(`SASL ${this.name}: the server-final message lacks v=`)
    const signature = decodeBase64Strict(first.value, `SASL ${this.name}: the server signature`)
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw new ProtocolError(`SASL ${this.name}: wrong server signature (the server does not know the password)`)
    }
    this.#state = { step: 'verified', serverSignature: expected }
  }
}

function hmac(algorithm: string, key: Buffer, data: string): Buffer {
  return createHmac(algorithm, key).update(data, 'utf8').digest()
}
