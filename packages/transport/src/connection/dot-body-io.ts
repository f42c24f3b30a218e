import { DotDecoder } from '../dot/dot-decoder.ts'
import { DotEncoder, encodeDotBody } from '../dot/dot-encoder.ts'
import { ConnectionError, ProtocolError } from '../errors/index.ts'
import type { ConnectionIo } from './connection-io.ts'

/**
 * BodySource: what a message, article or upload may be given as: bytes, a string (UTF-8), or any
 * (async) iterable of chunks, a `Readable` included. Iterables are streamed in constant memory.
 */
export type BodySource = Uint8Array | string | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>

/** readDotBody: see `ConnectionIo.readDotBody`. */
export async function* readDotBody(io: ConnectionIo): AsyncGenerator<Buffer, void, undefined> {
  const decoder = new DotDecoder()
  try {
    while (!decoder.done) {
      const chunk = await io.readChunk()
      if (chunk === undefined) throw new ConnectionError('connection closed by the server in the middle of a body')
      const result = decoder.push(chunk)
      if (result.done && result.rest !== undefined && result.rest.length > 0) io.unshift(result.rest)
      for (const piece of result.chunks) yield piece
    }
  } finally {
    // The consumer left early: read the rest of the block so that the next reply is in step.
    while (!decoder.done) {
      const chunk = await io.readChunk()
      if (chunk === undefined) break
      const result = decoder.push(chunk)
      if (result.done && result.rest !== undefined && result.rest.length > 0) io.unshift(result.rest)
    }
  }
}

/** readDotBodyBuffer: see `ConnectionIo.readDotBodyBuffer`. */
export async function readDotBodyBuffer(io: ConnectionIo, maxBytes: number): Promise<Buffer> {
  const decoder = new DotDecoder()
  const pieces: Buffer[] = []
  let size = 0
  while (!decoder.done) {
    const chunk = await io.readChunk()
    if (chunk === undefined) throw new ConnectionError('connection closed by the server in the middle of a body')
    const result = decoder.push(chunk)
    if (result.done && result.rest !== undefined && result.rest.length > 0) io.unshift(result.rest)
    for (const piece of result.chunks) {
      size += piece.length
      // A broken limit closes the connection (the caller's task fails), so nothing needs draining.
      if (size > maxBytes) throw new ProtocolError(`body longer than the limit of ${maxBytes} bytes`)
      pieces.push(piece)
    }
  }
  return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, size)
}

/** writeDotBody: see `ConnectionIo.writeDotBody`. */
export async function writeDotBody(io: ConnectionIo, source: BodySource): Promise<number> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    await io.write(encodeDotBody(source))
    return typeof source === 'string' ? Buffer.byteLength(source) : source.length
  }
  const encoder = new DotEncoder()
  let size = 0
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length
    const encoded = encoder.push(chunk)
    if (encoded.length > 0) await io.write(encoded)
  }
  await io.write(encoder.end())
  return size
}
