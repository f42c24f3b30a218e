import { ProtocolError } from '../errors/index.ts'
import type { SaslMechanism } from './sasl-mechanism.ts'

/**
 * SaslStep: what the server said after a step. `done: false` carries the next challenge (already
 * base64-decoded); `done: true` is the success reply, with the additional data some protocols allow
 * there (RFC 4422 section 5 item 3). A failure reply is not a step: the exchange throws it (`ReplyError`).
 */
export type SaslStep = { done: false; challenge: Buffer } | { done: true; serverData?: Buffer }

/**
 * SaslExchange: how one protocol carries SASL, the only part that differs between SMTP (`334`), POP3
 * (`+ `) and NNTP (`383`). Each method writes one line and reads one reply. The responses it sends are
 * secrets: redact them in transcripts, diagnostics and errors.
 */
export interface SaslExchange {
  /** Sends `AUTH <mechanism> [base64]` (`AUTHINFO SASL` in NNTP); an empty initial response is `=`. */
  start(mechanism: string, initialResponse: Buffer | undefined): Promise<SaslStep>
  /** Sends one base64 line (empty for an empty response). */
  respond(response: Buffer): Promise<SaslStep>
  /** Sends `*` (RFC 4954 section 4) and resolves once the server has answered, whatever it answered. */
  cancel(): Promise<void>
}

/** RunSaslOptions: how `runSasl` drives the exchange. */
export interface RunSaslOptions {
  /**
   * Whether the initial response goes with the command (RFC 4422 section 4 item 4; true by default). When
   * false, the command goes alone and the initial response answers the server's first (empty) challenge.
   */
  sendInitialResponse?: boolean
  /** The most challenges answered before giving up with a `ProtocolError`; 10 by default. */
  maxSteps?: number
}

/**
 * runSasl: one SASL authentication, from the command to the verified success reply.
 *
 * ```
 * C: AUTH CRAM-MD5                                      exchange.start('CRAM-MD5', undefined)
 * S: 334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
 * C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw   exchange.respond(mechanism.respond(challenge))
 * S: 235 2.7.0 Authentication successful               mechanism.verifyFinal(undefined)
 * ```
 * When the mechanism refuses a challenge (or the server asks more than `maxSteps` times) the exchange is
 * cancelled with `*` (RFC 4954 section 4, RFC 5034 section 4, RFC 4643 section 2.4) and the mechanism's
 * `ProtocolError` is thrown, even when cancelling failed too (that second failure is dropped: the
 * ProtocolError closes the connection anyway). A success reply the mechanism cannot verify (SCRAM's
 * server signature) throws `ProtocolError` without cancelling; the caller must close the connection.
 * Errors of the exchange itself (a `ReplyError` 535) pass through untouched.
 */
export async function runSasl(mechanism: SaslMechanism, exchange: SaslExchange, options: RunSaslOptions = {}): Promise<void> {
  const maxSteps = options.maxSteps ?? 10
  const initial = mechanism.initialResponse()
  let pending = options.sendInitialResponse === false ? initial : undefined
  let step = await exchange.start(mechanism.name, pending === undefined ? initial : undefined)
  for (let count = 0; !step.done; count += 1) {
    const response = await answer(mechanism, exchange, step.challenge, count < maxSteps, pending)
    pending = undefined
    step = await exchange.respond(response)
  }
  // The command is over: a server that fails to prove itself cannot be cancelled, only hung up on.
  mechanism.verifyFinal(step.serverData)
}

async function answer(
  mechanism: SaslMechanism,
  exchange: SaslExchange,
  challenge: Buffer,
  withinBound: boolean,
  pending: Buffer | undefined,
): Promise<Buffer> {
  return settle(exchange, () => {
    if (!withinBound) throw new ProtocolError(`SASL ${mechanism.name}: the server sent too many challenges`)
    // RFC 4422 section 5: a withheld initial response answers the first challenge, whatever its text.
    return pending ?? mechanism.respond(challenge)
  })
}

/** settle: the callback's value; when it throws, the exchange is cancelled first and the error rethrown. */
async function settle<T>(exchange: SaslExchange, callback: () => T): Promise<T> {
  try {
    return callback()
  } catch (error) {
    await exchange.cancel().catch(() => undefined)
    throw error
  }
}
