import type { Duplex } from 'node:stream'
import { connectSocket, type ConnectFunction } from '@netc/transport'

/** A connect seam that records each write the client makes, and may redirect a made-up host to a real port. */
export interface RecordingConnect {
  connect: ConnectFunction
  /** Each `write` call's bytes, in order, as the client issued them (plaintext before TLS, TLS records after). */
  writes: Buffer[]
}

/** recordingConnect: the seam; `to` redirects every connection to 127.0.0.1:to.port; `onWrite` sees each write as it is made. */
export function recordingConnect(to?: { port: number }, onWrite?: (chunk: Buffer) => void): RecordingConnect {
  const writes: Buffer[] = []
  const connect: ConnectFunction = async (options) => {
    const socket: Duplex = await connectSocket({ ...options, host: '127.0.0.1', port: to?.port ?? options.port })
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      writes.push(Buffer.from(chunk as Uint8Array))
      onWrite?.(Buffer.from(chunk as Uint8Array))
      return write(chunk, ...rest)
    }) as typeof socket.write
    return socket
  }
  return { connect, writes }
}

/** commandsPerWrite: how many command lines each recorded write held. */
export function commandsPerWrite(writes: readonly Buffer[]): number[] {
  return writes.map((write) => write.toString('latin1').split('\r\n').length - 1)
}
