import { DotDecoder } from '../dot/dot-decoder.ts'
import { CR, CRLF_TERMINATOR, DOT, LF, TERMINATOR } from '../dot/dot-chunk.ts'
import { DotEncoder, encodeDotBody } from '../dot/dot-encoder.ts'
import { planCleanDotBody } from '../dot/plan-clean-dot-body.ts'
import { ConnectionError } from '../errors/index.ts'
import { BodyAssembler, type BodyAllocator } from '../io/body-assembler.ts'
import { isReusedMemory } from '../io/byte-store.ts'
import type { ConnectionIo } from './connection-io.ts'

/**
 * BodySource: what a message, article or upload may be given as: bytes, a string (UTF-8), or any
 * (async) iterable of chunks, a `Readable` included. Iterables are streamed in constant memory.
 */
export type BodySource = Uint8Array | string | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>

/**
 * readDotBody: see `ConnectionIo.readDotBody`. The consumer may keep what it is given: pieces that are
 * views of the reader's reused memory are copied (one Buffer per read), a socket's own chunks are not.
 */
export async function* readDotBody(io: ConnectionIo): AsyncGenerator<Buffer, void, undefined> {
  const decoder = new DotDecoder()
  try {
    while (!decoder.done) {
      const chunk = await io.readChunk()
      if (chunk === undefined) throw new ConnectionError('connection closed by the server in the middle of a body')
      const result = decoder.push(chunk)
      if (result.done && result.rest !== undefined && result.rest.length > 0) io.unshift(result.rest)
      if (!isReusedMemory(chunk)) {
        for (const piece of result.chunks) yield piece
      } else if (result.chunks.length > 0) {
        yield Buffer.concat(result.chunks)
      }
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

/**
 * readDotBodyBuffer: see `ConnectionIo.readDotBodyBuffer`. Each piece is copied into the body as it is
 * decoded, before the next read: the chunks may be views of the reader's reused memory. A body that has
 * arrived whole with its terminator and has no line to unstuff (most messages in a pipelined batch) is
 * copied out in one piece, without a decoder.
 */
export async function readDotBodyBuffer(io: ConnectionIo, maxBytes: number, sizeHint?: number, allocate?: BodyAllocator): Promise<Buffer> {
  const first = await io.readChunk()
  if (first === undefined) throw new ConnectionError('connection closed by the server in the middle of a body')
  const end = plainBodyEnd(first)
  if (end !== undefined) {
    io.unshift(first.subarray(end.rest))
    const body = new BodyAssembler(maxBytes, end.body, allocate)
    body.push(first.subarray(0, end.body))
    return body.finish()
  }
  const decoder = new DotDecoder()
  // A broken limit closes the connection (the caller's task fails), so nothing needs draining.
  const body = new BodyAssembler(maxBytes, sizeHint, allocate)
  let chunk: Buffer | undefined = first
  for (;;) {
    const result = decoder.push(chunk)
    if (result.done && result.rest !== undefined && result.rest.length > 0) io.unshift(result.rest)
    for (const piece of result.chunks) body.push(piece)
    if (decoder.done) return body.finish()
    chunk = await io.readChunk()
    if (chunk === undefined) throw new ConnectionError('connection closed by the server in the middle of a body')
  }
}

const LF_DOT = Buffer.from('\n.', 'latin1')

/**
 * Where a block that starts at `chunk[0]` ends, when the chunk holds all of it and no line but the
 * terminating one opens with a dot: the body's length (its last line ending included) and where the
 * rest begins. Undefined for anything else (the decoder then does it).
 */
function plainBodyEnd(chunk: Buffer): { body: number; rest: number } | undefined {
  if (chunk.length === 0 || chunk[0] === DOT) return undefined
  const at = chunk.indexOf(LF_DOT)
  if (at === -1) return undefined
  const after = at + 2
  if (chunk[after] === LF) return { body: at + 1, rest: after + 1 }
  if (chunk[after] === CR && chunk[after + 1] === LF) return { body: at + 1, rest: after + 2 }
  return undefined
}

/** writeDotBody: see `ConnectionIo.writeDotBody`. */
export async function writeDotBody(io: ConnectionIo, source: BodySource): Promise<number> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source
    await writeWholeBody(io, bytes)
    return bytes.length
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

/** The most body bytes encoded into one write. */
const WRITE_WINDOW = 64 * 1024
/** The most line-opening dots a body may have to go out as views of itself (two views per dot). */
const MAX_VIEW_DOTS = 256
const DOT_BYTE = Buffer.from('.', 'latin1')

/**
 * writeWholeBody: a body already in memory. A small one goes out encoded with its terminator in one
 * write. A large one whose lines all end in CRLF (most messages) goes out as views of itself with the
 * doubled dots between them, in one corked write: no encoded copy at all. Any other large body is encoded
 * and written a window at a time, never held twice (encoded whole, and joined from the encoder's windows)
 * as one `encodeDotBody` would. The bytes on the wire are `encodeDotBody(body)` in every case.
 */
async function writeWholeBody(io: ConnectionIo, bytes: Uint8Array): Promise<void> {
  if (bytes.length <= WRITE_WINDOW) {
    await io.write(encodeDotBody(bytes))
    return
  }
  const dots = planCleanDotBody(bytes, MAX_VIEW_DOTS)
  if (dots !== undefined) {
    const views: Uint8Array[] = []
    let start = 0
    for (const dot of dots) {
      if (dot > start) views.push(bytes.subarray(start, dot))
      views.push(DOT_BYTE)
      start = dot
    }
    views.push(bytes.subarray(start), bytes[bytes.length - 1] === LF ? TERMINATOR : CRLF_TERMINATOR)
    await io.writeAll(views)
    return
  }
  const encoder = new DotEncoder()
  let at = 0
  for (; at + WRITE_WINDOW < bytes.length; at += WRITE_WINDOW) await io.write(encoder.push(bytes.subarray(at, at + WRITE_WINDOW)))
  const last = encoder.push(bytes.subarray(at))
  const end = encoder.end()
  await io.write(Buffer.concat([last, end], last.length + end.length))
}
