import {
  asBuffer,
  chunkStart,
  CR,
  CRLF_TERMINATOR,
  DOT,
  EMPTY,
  LF,
  TERMINATOR,
  type DotChunkEncoder,
  type EncoderState,
} from './dot-chunk.ts'

/**
 * The insertions one chunk needs, as (position, byte) pairs in input order: "write `byte` before
 * input[position]". Reused across pushes so that a clean chunk allocates nothing but its output.
 */
class Edits {
  positions = new Int32Array(256)
  bytes = new Uint8Array(256)
  count = 0
  #scratch = Buffer.alloc(0)

  /** A buffer of `n` bytes to blank CRs in, reused from chunk to chunk. */
  scratchFor(n: number): Buffer {
    if (this.#scratch.length < n) this.#scratch = Buffer.allocUnsafe(Math.max(n, 2 * this.#scratch.length))
    return this.#scratch.length === n ? this.#scratch : this.#scratch.subarray(0, n)
  }

  add(position: number, byte: number): void {
    if (this.count === this.positions.length) {
      const positions = new Int32Array(this.count * 2)
      positions.set(this.positions)
      this.positions = positions
      const bytes = new Uint8Array(this.count * 2)
      bytes.set(this.bytes)
      this.bytes = bytes
    }
    this.positions[this.count] = position
    this.bytes[this.count] = byte
    this.count++
  }
}

/**
 * The fast path, for chunks without a bare CR (nearly all): one `indexOf` per line for LF, which finds
 * the bare LFs and the line-opening dots. Each CR of a CRLF is blanked in `scratch` (a copy of the
 * chunk), so one more `indexOf` over the whole chunk tells whether any CR is left: a bare one. Returns
 * false (edits incomplete) when there is: then `scanSlow` does the chunk.
 */
function scanFast(state: EncoderState, chunk: Buffer, from: number, edits: Edits, scratch: Buffer): boolean {
  chunk.copy(scratch, 0, 0, chunk.length)
  if (state.lineStart && chunk[from] === DOT) edits.add(from, DOT)
  let p = from
  for (;;) {
    const lf = chunk.indexOf(LF, p)
    if (lf === -1) break
    if (lf > from && chunk[lf - 1] === CR) scratch[lf - 1] = 0
    else edits.add(lf, CR)
    if (chunk[lf + 1] === DOT) edits.add(lf + 1, DOT)
    p = lf + 1
  }
  if (scratch.indexOf(CR, from) !== -1) return false
  state.lineStart = chunk[chunk.length - 1] === LF
  return true
}

/**
 * The exact path, for chunks with a bare CR: LFs as in `scanFast`, and each CR looked up too (one more
 * `indexOf` per CRLF line). A bare CR gets a LF after it; one ending the chunk leaves `skipLf` set.
 */
function scanSlow(state: EncoderState, chunk: Buffer, from: number, edits: Edits): void {
  const n = chunk.length
  if (state.lineStart && chunk[from] === DOT) edits.add(from, DOT)
  let cr = chunk.indexOf(CR, from)
  let p = from
  for (;;) {
    const lf = chunk.indexOf(LF, p)
    const end = lf === -1 ? n : lf
    // Every CR before this LF, except one right before it, is bare.
    while (cr !== -1 && cr < end && cr !== lf - 1) {
      if (cr === n - 1) {
        edits.add(n, LF)
        state.skipLf = true
        cr = -1
        break
      }
      edits.add(cr + 1, LF)
      if (chunk[cr + 1] === DOT) edits.add(cr + 1, DOT)
      cr = chunk.indexOf(CR, cr + 1)
    }
    if (lf === -1) break
    if (cr === lf - 1 && lf > from) {
      cr = chunk.indexOf(CR, lf + 1)
    } else {
      edits.add(lf, CR)
    }
    if (chunk[lf + 1] === DOT) edits.add(lf + 1, DOT)
    p = lf + 1
  }
  const last = chunk[n - 1]
  state.lineStart = last === LF || last === CR
}

/** Encodes one chunk into one exactly sized buffer; with `final`, the terminator goes into the same buffer. */
function encodeChunk(state: EncoderState, input: Uint8Array | string, final: boolean, edits: Edits): Buffer {
  const chunk = asBuffer(input)
  const n = chunk.length
  const from = chunkStart(state, chunk)
  edits.count = 0
  if (from < n && !scanFast(state, chunk, from, edits, edits.scratchFor(n))) {
    edits.count = 0
    scanSlow(state, chunk, from, edits)
  }
  const tail = !final ? EMPTY : state.lineStart ? TERMINATOR : CRLF_TERMINATOR
  const size = n - from + edits.count + tail.length
  if (size === 0) return EMPTY
  const out = Buffer.allocUnsafe(size)
  let o = 0
  let s = from
  const { positions, bytes } = edits
  for (let k = 0; k < edits.count; k++) {
    const position = positions[k]!
    if (position > s) {
      o += chunk.copy(out, o, s, position)
      s = position
    }
    out[o++] = bytes[k]!
  }
  if (s < n) o += chunk.copy(out, o, s, n)
  if (tail.length > 0) tail.copy(out, o)
  return out
}

/**
 * createJsDotChunkEncoder: the plain JavaScript `DotChunkEncoder`, the fallback where WebAssembly SIMD is
 * missing (and the reference the SIMD one is tested against): one `Buffer.indexOf` per line finds the
 * edits, then one exactly sized buffer is filled around them. RFC 5321 section 4.5.2.
 *
 * ```
 * chunk "a\n.b", line start  ->  edits (1, CR), (2, ".")  ->  "a\r\n..b"
 * ```
 *
 * Each encoder owns its edit list (reused from chunk to chunk), so give each encoding its own.
 */
export function createJsDotChunkEncoder(): DotChunkEncoder {
  const edits = new Edits()
  return (state, input, final) => encodeChunk(state, input, final, edits)
}
