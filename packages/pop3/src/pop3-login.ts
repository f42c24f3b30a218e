import {
  Command,
  InvalidStateError,
  chooseSaslMechanism,
  createSaslMechanism,
  runSasl,
  type ConnectionIo,
  type SaslCredentials,
} from '@netc/transport'
import { apopDigest } from './parse-apop-timestamp.ts'
import type { Pop3Capabilities } from './parse-capabilities.ts'
import type { Pop3Auth } from './pop3-client-options.ts'
import { fitsInitialResponse, pop3SaslExchange } from './pop3-sasl-exchange.ts'
import { sendCommand } from './read-status.ts'

/** Pop3LoginContext: what a login needs to know of the session. */
export interface Pop3LoginContext {
  auth: Pop3Auth
  capabilities: Pop3Capabilities
  /** The APOP timestamp of the greeting, if any. */
  timestamp: string | undefined
  /** A method forced by the caller: `USER`, `APOP` or a SASL mechanism. */
  mechanism?: string | undefined
  /** Prefer APOP to USER/PASS when no SASL mechanism fits. */
  apop?: boolean | undefined
  host: string
  port: number
}

/**
 * chooseLoginMethod: the method a login uses: the forced `mechanism`; else the strongest SASL mechanism
 * both sides offer (RFC 5034, `chooseSaslMechanism`); else APOP when asked for; else USER/PASS.
 * A token needs a SASL mechanism that carries it; anything impossible is an `InvalidStateError`.
 */
export function chooseLoginMethod(context: Pop3LoginContext): string {
  const { auth, capabilities, timestamp } = context
  const forced = context.mechanism?.toUpperCase()
  if (forced === 'APOP' && timestamp === undefined) throw new InvalidStateError('APOP is not available: the greeting has no timestamp')
  if (forced !== undefined) return forced
  const sasl = chooseSaslMechanism(capabilities.sasl, saslCredentials(auth))
  if (sasl !== undefined) return sasl
  if ('accessToken' in auth) {
    throw new InvalidStateError(`the server offers no SASL mechanism for an access token (it offers: ${capabilities.sasl.join(' ') || 'none'})`)
  }
  if (context.apop === true) {
    if (timestamp === undefined) throw new InvalidStateError('APOP is not available: the greeting has no timestamp')
    return 'APOP'
  }
  return 'USER'
}

/**
 * login: logs in by the method `chooseLoginMethod` picks, moving the session to TRANSACTION (RFC 1939
 * section 7, RFC 5034). Returns the method used. A refusal is a `Pop3ReplyError` (`respCode: 'AUTH'`
 * from servers with AUTH-RESP-CODE, `IN-USE` when the maildrop is locked).
 *
 * ```
 * C: USER dave          C: APOP dave c4c9334b...        C: AUTH PLAIN AGRhdmUAc2VjcmV0
 * S: +OK                S: +OK maildrop has 2 messages  S: +OK Logged in.
 * C: PASS ****
 * S: +OK Logged in.
 * ```
 */
export async function login(io: ConnectionIo, context: Pop3LoginContext): Promise<string> {
  const method = chooseLoginMethod(context)
  const { auth } = context
  if (method === 'USER') {
    if (!('pass' in auth)) throw new InvalidStateError('USER/PASS needs a password')
    await sendCommand(io, Command.of('USER', auth.user))
    await sendCommand(io, Command.secret('PASS', auth.pass))
  } else if (method === 'APOP') {
    if (!('pass' in auth)) throw new InvalidStateError('APOP needs a password')
    await sendCommand(io, Command.of('APOP', auth.user, apopDigest(context.timestamp ?? '', auth.pass)).redacting(1))
  } else {
    const mechanism = createSaslMechanism(method, saslCredentials(auth), { host: context.host, port: context.port })
    const sendInitialResponse = fitsInitialResponse(mechanism.name, mechanism.initialResponse())
    await runSasl(mechanism, pop3SaslExchange(io), { sendInitialResponse })
  }
  return method
}

function saslCredentials(auth: Pop3Auth): SaslCredentials {
  const credentials: SaslCredentials = { username: auth.user }
  if ('pass' in auth) credentials.password = auth.pass
  if ('accessToken' in auth) credentials.accessToken = auth.accessToken
  if (auth.authorizationId !== undefined) credentials.authorizationId = auth.authorizationId
  return credentials
}
