import { connectSocket, type ConnectFunction } from '../connection/connect-socket.ts'

/** What `tapConnection` gives: the connect seam to pass as `connect`, and the bytes seen so far. */
export interface ConnectionTap {
  /** The seam: pass it as the client's `connect` option. */
  readonly connect: ConnectFunction
  /** Everything the server sent on the first connection, as it crossed the wire (latin1). */
  wire(): string
}

/**
 * tapConnection: a `connect` seam (plain TCP, as `connectSocket`) that keeps every byte the server sends on
 * the first connection made through it (an FTP control connection, not its data connections), as it
 * crosses the wire: TLS records while TLS is on, plaintext after it (FTP CCC, RFC 4217 section 6).
 *
 * ```ts
 * const tap = tapConnection()
 * const ftp = await FtpClient.connect({ ...target, secure: 'explicit', ccc: true, connect: tap.connect })
 * await ftp.pwd()
 * expect(tap.wire()).toMatch(/257 "\/"/)   // S: 257 "/" ... in clear after CCC
 * ```
 */
export function tapConnection(): ConnectionTap {
  const chunks: Buffer[] = []
  let first = true
  const connect: ConnectFunction = async (options) => {
    const socket = await connectSocket(options)
    if (first) socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    first = false
    return socket
  }
  return { connect, wire: () => Buffer.concat(chunks).toString('latin1') }
}
