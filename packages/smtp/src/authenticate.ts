import {
  isLoopbackHost,
  Command,
  InvalidArgumentError,
  InvalidStateError,
  chooseSaslMechanism,
  createSaslMechanism,
  decodeSaslChallenge,
  encodeSaslInitialResponse,
  encodeSaslResponse,
  runSasl,
  type Connection,
  type ConnectionIo,
  type SaslCredentials,
  type SaslExchange,
  type SaslStep,
} from '@netc/transport'
import type { SmtpAuth } from './smtp-client-options.ts'

/** What `authenticate` needs to know of the session. */
export interface AuthenticateContext {
  /** The mechanisms of the server's AUTH capability. */
  offered: readonly string[]
  /** The connection is encrypted. */
  secure: boolean
  /** The caller allowed AUTH over plaintext to a non-loopback host. */
  allowInsecureAuth: boolean
  signal?: AbortSignal | undefined
}

/**
 * authenticate: AUTH (RFC 4954) with the strongest SASL mechanism both sides know (SCRAM-SHA-256 before
 * CRAM-MD5 before PLAIN before LOGIN; OAUTHBEARER/XOAUTH2 with a token), the initial response on the
 * command line (RFC 4954 section 4), every response and challenge redacted in logs.
 *
 * ```
 * C: AUTH PLAIN ****
 * S: 235 2.7.0 Authentication successful
 * ```
 * Credentials never cross plaintext to a host that is not loopback unless `allowInsecureAuth`
 * (`InvalidStateError`, before anything is written). A refusal (535) throws `SmtpReplyError`. Returns the
 * mechanism used.
 */
export async function authenticate(connection: Connection, auth: SmtpAuth, context: AuthenticateContext): Promise<string> {
  if (!context.secure && !context.allowInsecureAuth && !isLoopbackHost(connection.host)) {
    throw new InvalidStateError(
      `refusing to send credentials to ${connection.host} over plaintext: use TLS (tls: 'required' or smtps://), or allowInsecureAuth: true`,
    )
  }
  const credentials: SaslCredentials = { username: auth.user }
  if (auth.pass !== undefined) credentials.password = auth.pass
  if (auth.accessToken !== undefined) credentials.accessToken = auth.accessToken
  if (auth.authorizationId !== undefined) credentials.authorizationId = auth.authorizationId
  const name = auth.mechanism ?? chooseSaslMechanism(context.offered, credentials)
  if (name === undefined) {
    const offered = context.offered.length === 0 ? 'no AUTH mechanism' : `AUTH ${context.offered.join(' ')}`
    const hint = context.secure ? '' : ' (many servers offer AUTH only after STARTTLS)'
    throw new InvalidArgumentError(`cannot authenticate: the server offers ${offered}, none usable with these credentials${hint}`)
  }
  const mechanism = createSaslMechanism(name, credentials, { host: connection.host, port: connection.port })
  await connection.run((io) => runSasl(mechanism, smtpSaslExchange(io)), { signal: context.signal })
  return mechanism.name
}

/** smtpSaslExchange: how SMTP carries SASL (RFC 4954 section 4): `AUTH`, `334` challenges, base64 lines, `*`. */
export function smtpSaslExchange(io: ConnectionIo): SaslExchange {
  const step = async (command: Command): Promise<SaslStep> => {
    await io.send(command)
    const reply = await io.readCodedReply({ sensitive: true })
    if (reply.code === 334) return { done: false, challenge: decodeSaslChallenge(reply.lines[0] ?? '') }
    io.expect(reply, 235, command)
    return { done: true }
  }
  return {
    start: (mechanism, initial) =>
      step(initial === undefined ? Command.of('AUTH', mechanism) : Command.of('AUTH', mechanism, encodeSaslInitialResponse(initial)).redacting(1)),
    respond: (response) => step(Command.line(encodeSaslResponse(response))),
    cancel: async () => {
      await io.send(Command.line('*', { secret: false }))
      await io.readCodedReply()
    },
  }
}
