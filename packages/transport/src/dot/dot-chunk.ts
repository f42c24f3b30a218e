/**
 * The pieces DotEncoder's two chunk encoders share (create-js-dot-chunk-encoder.ts and
 * create-simd-dot-chunk-encoder.ts): octets, the state carried from chunk to chunk, the terminators, and
 * the encoder signature. RFC 5321 section 4.5.2.
 */

export const CR = 0x0d
export const LF = 0x0a
export const DOT = 0x2e
/** The terminating line after a complete last line: `.` CRLF. */
export const TERMINATOR = Buffer.from('.\r\n', 'latin1')
/** The terminating line after an open last line, which it closes first: CRLF `.` CRLF. */
export const CRLF_TERMINATOR = Buffer.from('\r\n.\r\n', 'latin1')
export const EMPTY = Buffer.alloc(0)

/** EncoderState: what one encoding carries from one chunk to the next: two flags. */
export interface EncoderState {
  /** The next input byte begins a line (true at the start of the body). */
  lineStart: boolean
  /** The previous chunk ended with a CR, already written as CRLF: a LF that opens the next chunk is dropped. */
  skipLf: boolean
}

/**
 * DotChunkEncoder: encodes the next chunk of a body into one exactly sized buffer (or EMPTY) and updates
 * `state`; with `final`, the terminating line goes into the same buffer. Both implementations give the
 * same bytes:
 *
 * ```
 * state { lineStart: true }, chunk "a\n.b\r", final false  ->  "a\r\n..b\r\n"  (skipLf now set)
 * ```
 */
export type DotChunkEncoder = (state: EncoderState, input: Uint8Array | string, final: boolean) => Buffer

/** asBuffer: a chunk as a Buffer over the same bytes (a string is taken as UTF-8). */
export function asBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8')
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
}

/** chunkStart: where encoding starts in `chunk`: past a LF that completes a CR ending the last chunk. */
export function chunkStart(state: EncoderState, chunk: Buffer): number {
  if (!state.skipLf || chunk.length === 0) return 0
  state.skipLf = false
  return chunk[0] === LF ? 1 : 0
}
