import {
  Command,
  decodeSaslChallenge,
  encodeSaslInitialResponse,
  encodeSaslResponse,
  type ConnectionIo,
  type SaslExchange,
  type SaslStep,
} from '@netc/transport'
import { parseStatusLine } from './parse-status-line.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'

/** RFC 5034 section 4: an AUTH command line, CRLF included, may not exceed 255 octets. */
export const maxAuthCommandLength = 255

/**
 * pop3SaslExchange: how POP3 carries SASL (RFC 5034 section 4), for `runSasl`:
 *
 * ```
 * C: AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9...     start (logged AUTH SCRAM-SHA-256 ****)
 * S: + cj1yT2...                                a challenge: "+ " and base64
 * C: Yz1iaXdz...                                respond (logged ****)
 * S: +OK Logged in.                             done
 * ```
 * `-ERR` throws `Pop3ReplyError` (with `[AUTH]` or `[SYS/TEMP]` from servers with AUTH-RESP-CODE);
 * `cancel` sends `*`. Every reply of the exchange is logged masked: challenges can carry secrets.
 */
export function pop3SaslExchange(io: ConnectionIo): SaslExchange {
  let command: Command | undefined
  const step = async (sent: Command): Promise<SaslStep> => {
    await io.send(sent)
    const line = await io.readTextLine({ sensitive: true })
    if (line === '+' || line.startsWith('+ ')) return { done: false, challenge: decodeSaslChallenge(line.slice(1)) }
    const status = parseStatusLine(line)
    if (!status.ok) throw new Pop3ReplyError({ status, command: command?.toLog() })
    return { done: true }
  }
  return {
    start(mechanism, initialResponse) {
      command =
        initialResponse === undefined
          ? Command.of('AUTH', mechanism)
          : Command.of('AUTH', mechanism, encodeSaslInitialResponse(initialResponse)).redacting(1)
      return step(command)
    },
    respond(response) {
      return step(Command.line(encodeSaslResponse(response)))
    },
    async cancel() {
      await io.send(Command.line('*', { secret: false }))
      await io.readTextLine({ sensitive: true })
    },
  }
}

/** fitsInitialResponse: whether `AUTH <mechanism> <base64>` stays within 255 octets (RFC 5034 section 4). */
export function fitsInitialResponse(mechanism: string, initialResponse: Buffer | undefined): boolean {
  if (initialResponse === undefined) return true
  const line = `AUTH ${mechanism} ${encodeSaslInitialResponse(initialResponse)}\r\n`
  return Buffer.byteLength(line) <= maxAuthCommandLength
}
