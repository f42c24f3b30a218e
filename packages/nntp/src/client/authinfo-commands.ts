import {
  Command,
  ProtocolError,
  decodeSaslChallenge,
  encodeSaslInitialResponse,
  runSasl,
  type ConnectionIo,
  type SaslExchange,
  type SaslMechanism,
  type SaslStep,
  type CodedReply,
} from '@netc/transport'
import { exchange } from './block-io.ts'

/**
 * authinfoUser: AUTHINFO USER and PASS (RFC 4643 section 2.3). `281` after USER needs no password;
 * `381` asks for it. The password is redacted everywhere (`AUTHINFO PASS ****`).
 *
 * ```
 * C: AUTHINFO USER dave
 * S: 381 Enter passphrase
 * C: AUTHINFO PASS ****
 * S: 281 Authentication accepted
 * ```
 */
export async function authinfoUser(io: ConnectionIo, user: string, pass: string | undefined): Promise<void> {
  const first = await exchange(io, Command.of('AUTHINFO', 'USER', user), [281, 381])
  if (first.code === 281) return
  if (pass === undefined) throw new ProtocolError('the server asks for a password (381) and none was given')
  await exchange(io, Command.of('AUTHINFO', 'PASS', pass).redacting(1), 281)
}

/**
 * authinfoSasl: AUTHINFO SASL (RFC 4643 section 2.4) through the transport's SASL mechanisms: `383`
 * carries a challenge, `281` ends it, `283` ends it with additional data. Responses are redacted.
 *
 * ```
 * C: AUTHINFO SASL PLAIN ****
 * S: 281 Authentication accepted
 * ```
 */
export async function authinfoSasl(io: ConnectionIo, mechanism: SaslMechanism): Promise<void> {
  await runSasl(mechanism, nntpSaslExchange(io))
}

function nntpSaslExchange(io: ConnectionIo): SaslExchange {
  const step = async (command: Command): Promise<SaslStep> => {
    await io.sendReleasingOwed(command)
    const reply = io.expect(await io.readCodedReply({ sensitive: true }), [281, 283, 383], command)
    return stepOf(reply)
  }
  return {
    start: (name, initial) => {
      const args = initial === undefined ? ['SASL', name] : ['SASL', name, encodeSaslInitialResponse(initial)]
      return step(Command.of('AUTHINFO', ...args).redacting(2))
    },
    // RFC 4643 section 2.4.1: zero-length data is sent as `=` in NNTP, responses included.
    respond: (response) => step(Command.line(encodeSaslInitialResponse(response))),
    cancel: async () => {
      await io.send(Command.line('*', { secret: false }))
      await io.readCodedReply()
    },
  }
}

function stepOf(reply: CodedReply): SaslStep {
  const text = reply.lines.join(' ').trim()
  if (reply.code === 383) return { done: false, challenge: decodeSaslChallenge(text.split(/\s+/)[0] ?? '') }
  if (reply.code === 283) return { done: true, serverData: decodeSaslChallenge(text.split(/\s+/)[0] ?? '') }
  return { done: true }
}
