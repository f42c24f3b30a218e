import { Command, type Connection } from '@netc/transport'
import { parseCapabilities, type SmtpCapabilities } from './parse-capabilities.ts'

/**
 * hello: greets the server and learns its capabilities: `EHLO name` (`LHLO name` in LMTP, RFC 2033
 * section 4.1), and `HELO name` when an old server answers EHLO with 500 or 502 (RFC 5321 section
 * 4.1.4: a client that gets "command not recognized" may fall back to HELO).
 *
 * ```
 * C: EHLO client.example
 * S: 502 5.5.2 Error: command not recognized
 * C: HELO client.example
 * S: 250 mail.example.com
 * ```
 * Any other refusal throws `SmtpReplyError`.
 */
export function hello(connection: Connection, name: string, lmtp: boolean, signal?: AbortSignal): Promise<SmtpCapabilities> {
  return connection.run(async (io) => {
    const ehlo = Command.of(lmtp ? 'LHLO' : 'EHLO', name)
    await io.send(ehlo)
    const reply = await io.readCodedReply()
    if (reply.code === 250) return parseCapabilities(reply)
    if (lmtp || (reply.code !== 500 && reply.code !== 502)) {
      io.expect(reply, 250, ehlo)
    }
    const helo = Command.of('HELO', name)
    await io.send(helo)
    return parseCapabilities(io.expect(await io.readCodedReply(), 250, helo), { esmtp: false })
  }, { signal })
}
