import { Command, type Connection, type TlsSettings } from '@netc/transport'

/**
 * startTls: `STARTTLS` (RFC 3207 section 4), the `220` go-ahead, then the TLS handshake. Plaintext that
 * arrived after the go-ahead and before the handshake is refused as a `ProtocolError` (the CVE-2011-0411
 * command injection); the caller must then say EHLO again (RFC 3207 section 4.2), as `SmtpClient` does.
 *
 * ```
 * C: STARTTLS
 * S: 220 2.0.0 Ready to start TLS
 * -- TLS handshake
 * ```
 * A refusal (`454 TLS not available`) throws `SmtpReplyError`; a failed handshake `TlsError`.
 */
export function startTls(connection: Connection, settings: TlsSettings, signal?: AbortSignal): Promise<void> {
  return connection.run(async (io) => {
    const command = Command.of('STARTTLS')
    await io.send(command)
    io.expect(await io.readCodedReply(), 220, command)
    await io.upgradeTls(settings)
  }, { signal })
}
