import { Command, type ConnectionIo, type TlsSettings } from '@netc/transport'
import { noCapabilities, parseCapabilities, type NntpCapabilities } from '../parse/parse-capabilities.ts'
import { exchange, readBlock } from './block-io.ts'

/**
 * readCapabilities: CAPABILITIES (RFC 3977 section 5.2). A server that does not know the command (RFC
 * 977, `500`) has no capabilities to tell: `noCapabilities`.
 *
 * INN writes its `101` line apart from the list, and its Nagle holds the list until that line is
 * acknowledged, which our delayed ACK does after about 40 ms: every connect paid it. When the `101` line
 * comes alone, a `DATE` goes out at once (pipelined, RFC 3977 section 3.5): its segment carries the ACK
 * and the list follows without the wait. DATE's one-line answer, whatever it is, is owed
 * (`io.oweReply()`): it is dropped when the next command's reply is read, since waiting for it now would
 * meet the same hold.
 *
 * ```
 * C: CAPABILITIES
 * S: 101 Capability list:
 * C: DATE                      (only when the list has not come with the 101 line)
 * S: VERSION 2
 * S: READER
 * S: .
 * C: GROUP misc.test           (the next command, whichever it is)
 * S: 111 20261207140000        (dropped)
 * S: 211 3 1 3 misc.test
 * ```
 */
export async function readCapabilities(io: ConnectionIo): Promise<NntpCapabilities> {
  const reply = await exchange(io, Command.of('CAPABILITIES'), (r) => r.code === 101 || r.code === 500 || r.code === 502)
  if (reply.code !== 101) return noCapabilities
  if (io.bufferedBytes === 0) {
    await io.send(DATE)
    io.oweReply()
  }
  return parseCapabilities(await readBlock(io))
}

const DATE = Command.of('DATE')

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
