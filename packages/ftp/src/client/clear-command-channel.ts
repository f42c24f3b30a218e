import { Command, InvalidStateError, type ConnectionIo } from '@netc/transport'
import type { FtpSession } from './ftp-session.ts'

/**
 * clearCommandChannel: CCC, Clear Command Channel (RFC 4217 section 6): the control connection goes back to
 * plaintext on the same TCP connection, so that a NAT or firewall ALG can read PORT/EPRT and PASV/EPSV;
 * PROT P stays in force and data connections keep running TLS, resuming the control connection's TLS
 * session (captured before the shutdown).
 *
 * ```
 * C: CCC                                          (TLS)
 * S: 200 Clearing control channel protection      (TLS)
 * <close_notify both ways>
 * C: PWD                                          (plaintext)
 * ```
 * Needs explicit FTPS connected with `ccc: true` or `'later'` (`InvalidStateError`, nothing sent).
 * A refusal (`500`, `533`, `534`) is an `FtpReplyError` and TLS stays on; a server that does not close
 * TLS within the reply timeout is a `TimeoutError` and the connection closes.
 */
export async function clearCommandChannel(io: ConnectionIo, session: FtpSession): Promise<void> {
  if (!session.connection.secure) throw new InvalidStateError('CCC: the control connection is not secure')
  if (session.unwrappableTls !== true) throw new InvalidStateError("CCC needs the control TLS ready for removal: connect with ccc: true or 'later'")
  const ccc = Command.of('CCC')
  await io.send(ccc)
  io.expect(await io.readCodedReply(), 200, ccc)
  session.clearedTlsSession = await io.endTls()
}
