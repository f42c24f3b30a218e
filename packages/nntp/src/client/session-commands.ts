import { Command, type ConnectionIo, type TlsSettings } from '@netc/transport'
import { noCapabilities, parseCapabilities, type NntpCapabilities } from '../parse/parse-capabilities.ts'
import { exchange, readBlock } from './block-io.ts'

/**
 * readCapabilities: CAPABILITIES (RFC 3977 section 5.2). A server that does not know the command (RFC
 * 977, `500`) has no capabilities to tell: `noCapabilities`.
 *
 * ```
 * C: CAPABILITIES
 * S: 101 Capability list:
 * S: VERSION 2
 * S: READER
 * S: .
 * ```
 */
export async function readCapabilities(io: ConnectionIo): Promise<NntpCapabilities> {
  const reply = await exchange(io, Command.of('CAPABILITIES'), (r) => r.code === 101 || r.code === 500 || r.code === 502, { block: true })
  if (reply.code !== 101) return noCapabilities
  return parseCapabilities(await readBlock(io))
}

/**
 * modeReader: MODE READER (RFC 3977 section 5.3): switches a mode-switching server (INN's innd hands
 * over to nnrpd) to reading. Returns whether posting is allowed (`200`) or not (`201`).
 */
export async function modeReader(io: ConnectionIo): Promise<boolean> {
  const reply = await exchange(io, Command.of('MODE', 'READER'), [200, 201])
  return reply.code === 200
}

/**
 * startTls: STARTTLS (RFC 4642 section 2.2): `382` then the handshake. Bytes the server sent after its
 * `382` and before the handshake are refused (the transport's `upgradeTls`).
 */
export async function startTls(io: ConnectionIo, settings?: TlsSettings): Promise<void> {
  await exchange(io, Command.of('STARTTLS'), 382)
  await io.upgradeTls(settings)
}

/**
 * compress: COMPRESS DEFLATE (RFC 8054 section 2.2): `206`, then both directions are raw DEFLATE. It
 * comes after STARTTLS and AUTHINFO: no authentication may follow it (section 2.2.2, against CRIME-style
 * attacks on credentials), and TLS cannot start under it.
 *
 * ```
 * C: COMPRESS DEFLATE
 * S: 206 Compression active
 * ```
 */
export async function compress(io: ConnectionIo): Promise<void> {
  await exchange(io, Command.of('COMPRESS', 'DEFLATE'), 206)
  io.startCompression()
}

/** quit: QUIT (RFC 3977 section 5.4), `205`. */
export async function quit(io: ConnectionIo): Promise<void> {
  await exchange(io, Command.of('QUIT'), 205)
}
