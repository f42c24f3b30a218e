import { Command, InvalidStateError, isLoopbackHost, TlsError, type Connection, type ConnectionIo, type TlsSettings } from '@netc/transport'
import { emptyCapabilities, parseCapabilities, type Pop3Capabilities } from './parse-capabilities.ts'
import { parseApopTimestamp } from './parse-apop-timestamp.ts'
import type { Pop3TlsMode } from './pop3-client-options.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'
import { readMultiLine, readStatus, sendCommand } from './read-status.ts'

/** Pop3Greeting: the server's first line and the APOP timestamp in it. */
export interface Pop3Greeting {
  text: string
  timestamp: string | undefined
}

/** readGreeting: the `+OK` greeting (RFC 1939 section 4); `-ERR` (a server refusing service) throws Pop3ReplyError. */
export async function readGreeting(io: ConnectionIo): Promise<Pop3Greeting> {
  const status = await readStatus(io, undefined, { phase: 'greeting' })
  return { text: status.text, timestamp: parseApopTimestamp(status.line) }
}

/**
 * readCapabilities: CAPA (RFC 2449 section 5) typed; a server without CAPA (`-ERR`) has the RFC 1939
 * commands only, which `emptyCapabilities()` says.
 */
export async function readCapabilities(io: ConnectionIo): Promise<Pop3Capabilities> {
  try {
    await sendCommand(io, Command.of('CAPA'))
  } catch (error) {
    if (Pop3ReplyError.isInstance(error)) return emptyCapabilities()
    throw error
  }
  return parseCapabilities(await readMultiLine(io))
}

/**
 * negotiateTls: STLS (RFC 2595 section 4) as the mode asks, then CAPA again (the answer before TLS may
 * have been forged). Returns the capabilities in force. Plaintext the server sent between its `+OK` and
 * the handshake is refused by the transport (`ProtocolError`, CVE-2011-0411 class).
 */
export async function negotiateTls(
  io: ConnectionIo,
  connection: Connection,
  mode: Pop3TlsMode,
  capabilities: Pop3Capabilities,
  settings: TlsSettings,
): Promise<Pop3Capabilities> {
  if (connection.secure || mode === 'none' || mode === 'implicit') return capabilities
  if (mode === 'opportunistic' && !capabilities.stls) return capabilities
  try {
    await sendCommand(io, Command.of('STLS'))
  } catch (error) {
    if (!Pop3ReplyError.isInstance(error)) throw error
    if (mode === 'required') throw new TlsError(`the server refused STLS (${error.statusLine}) and tls is 'required'`, { cause: error })
    return capabilities
  }
  await io.upgradeTls(settings)
  return readCapabilities(io)
}

/** assertSafeToLogin: refuses credentials in cleartext to a non-loopback host (DESIGN.md principle 8). */
export function assertSafeToLogin(connection: Connection, allowInsecureAuth: boolean | undefined): void {
  if (connection.secure || allowInsecureAuth === true || isLoopbackHost(connection.host)) return
  throw new InvalidStateError(
    `refusing to send credentials in cleartext to ${connection.host}: the connection is not encrypted ` +
      `(use pop3s://, tls: 'required', or allowInsecureAuth: true if you really mean it)`,
  )
}
