import { InvalidStateError } from '../errors/index.ts'

const CR = 0x0d
const LF = 0x0a
const DOT = 0x2e
const TERMINATOR = Buffer.from('.\r\n', 'latin1')
const CRLF_TERMINATOR = Buffer.from('\r\n.\r\n', 'latin1')
const EMPTY = Buffer.alloc(0)

/** The state one encoding carries from one chunk to the next: two flags. */
interface EncoderState {
  /** The next input byte begins a line (true at the start of the body). */
  lineStart: boolean
  /** The previous chunk ended with a CR, already written as CRLF: a LF that opens the next chunk is dropped. */
  skipLf: boolean
}

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

function asBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8')
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
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
  let from = 0
  if (state.skipLf && n > 0) {
    state.skipLf = false
    if (chunk[0] === LF) from = 1
  }
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
 * DotEncoder: turns a message body into the dot-stuffed, CRLF-normalised octets of a multi-line data
 * block, chunk by chunk, ending with the terminating line. Bare CR and bare LF become CRLF (a CR ending
 * one chunk and a LF opening the next are one CRLF), a `.` opening a line is doubled, and `end()` closes
 * the last line if needed and adds `.` CRLF. So no body can end the block early or smuggle a second
 * message: `\n.\n`, `\r.\r` and `\r\n.\n` all come out as harmless `\r\n..\r\n` lines (SMTP smuggling,
 * December 2023).
 *
 * ```
 * body  "Hi\n.\nBye"       ->  wire  "Hi\r\n..\r\nBye\r\n.\r\n"
 * body  ""                 ->  wire  ".\r\n"
 * ```
 *
 * RFC 5321 section 4.5.2 (SMTP DATA), RFC 3977 section 3.1.1 (NNTP POST, IHAVE), RFC 1939 section 3
 * (POP3 multi-line responses). Each push allocates one exactly sized buffer (or none); the encoder keeps
 * two flags between chunks.
 */
export class DotEncoder {
  readonly #state: EncoderState = { lineStart: true, skipLf: false }
  readonly #edits = new Edits()
  #ended = false

  /** DotEncoder.push: the encoded octets of the next chunk of the body (possibly an empty buffer). */
  push(chunk: Uint8Array | string): Buffer {
    if (this.#ended) throw new InvalidStateError('DotEncoder.push after end()')
    return encodeChunk(this.#state, chunk, false, this.#edits)
  }

  /** DotEncoder.end: the closing octets: CRLF if the body's last line was open, then `.` CRLF. */
  end(): Buffer {
    if (this.#ended) throw new InvalidStateError('DotEncoder.end called twice')
    this.#ended = true
    return encodeChunk(this.#state, EMPTY, true, this.#edits)
  }
}

/**
 * encodeDotBody: a whole body as one dot-stuffed, CRLF-normalised data block with its terminating line
 * (a string is taken as UTF-8), in one allocation. RFC 5321 section 4.5.2, RFC 3977 section 3.1.1.
 *
 * ```ts
 * encodeDotBody('a\n.b')  // <Buffer "a\r\n..b\r\n.\r\n">
 * ```
 */
export function encodeDotBody(body: Uint8Array | string): Buffer {
  return encodeChunk({ lineStart: true, skipLf: false }, body, true, new Edits())
}
