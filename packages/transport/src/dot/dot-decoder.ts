import { InvalidStateError, ProtocolError } from '../errors/index.ts'

const CR = 0x0d
const LF = 0x0a
const DOT = 0x2e
const LF_DOT = Buffer.from('\n.', 'latin1')
const CR_ONLY = Buffer.from('\r', 'latin1')
const EMPTY = Buffer.alloc(0)

/** Where the decoder stands between two chunks. */
const enum State {
  /** Inside a line. */
  Data,
  /** The last byte was a LF: the next one begins a line. */
  LineStart,
  /** A line began with `.` (dropped): the terminator if CRLF or LF follows. */
  Dot,
  /** A line began with `.` CR (the CR held back): the terminator if LF follows. */
  DotCr,
  /** The terminating line has been seen. */
  Done,
}

/** DotDecoderResult: what one `DotDecoder.push` yields. */
export interface DotDecoderResult {
  /** The body octets found in this chunk, unstuffed, line endings as received (subarrays of the input). */
  chunks: Buffer[]
  /** True once the terminating line `.` CRLF has been seen. */
  done: boolean
  /** When done: the octets after the terminating line, which belong to the next reply (pipelining). */
  rest?: Buffer
}

/**
 * DotDecoder: reads a multi-line data block as the server sends it (POP3 RETR/TOP, NNTP ARTICLE/BODY,
 * LIST and OVER answers) and yields the body: a line opening with `.` loses that dot (`..x` -> `.x`),
 * and the line `.` CRLF (a bare `.` LF is tolerated) ends the block. Line endings pass through as
 * received; the line ending before the terminator belongs to the body.
 *
 * ```
 * wire  "a\r\n..b\r\n.\r\n+OK next"  ->  body "a\r\n.b\r\n", rest "+OK next"
 * ```
 *
 * RFC 1939 section 3, RFC 3977 section 3.1.1, RFC 5321 section 4.5.2. The yielded chunks are zero-copy
 * subarrays of the pushed buffers (only a dot line split after its CR costs a one-byte constant), and
 * the decoder itself carries one state value between chunks, never any bytes. Bounding the body size is
 * the caller's business (`Limits.maxBufferedBodyBytes` when it buffers).
 */
export class DotDecoder {
  #state: State = State.LineStart

  /** DotDecoder.done: whether the terminating line has been seen. */
  get done(): boolean {
    return this.#state === State.Done
  }

  /** DotDecoder.push: decodes the next chunk from the wire. Throws `InvalidStateError` once done. */
  push(chunk: Buffer): DotDecoderResult {
    if (this.#state === State.Done) throw new InvalidStateError('DotDecoder.push after the terminating line')
    const chunks: Buffer[] = []
    const n = chunk.length
    if (n === 0) return { chunks, done: false }
    let runStart = 0
    let next = 0
    let dot = -1
    switch (this.#state) {
      case State.LineStart:
        if (chunk[0] === DOT) dot = 0
        break
      case State.Dot:
        next = this.#afterDot(chunk, 0)
        if (next < 0) return this.#finish(chunks, chunk, next)
        break
      case State.DotCr:
        if (chunk[0] === LF) return this.#finish(chunks, chunk, -2)
        chunks.push(CR_ONLY)
        break
    }
    for (;;) {
      if (dot === -1) {
        const found = chunk.indexOf(LF_DOT, next)
        if (found === -1) break
        dot = found + 1
      }
      if (dot > runStart) chunks.push(chunk.subarray(runStart, dot))
      runStart = dot + 1
      next = this.#afterDot(chunk, runStart)
      if (next < 0) return this.#finish(chunks, chunk, next)
      dot = -1
    }
    if (runStart < n) chunks.push(chunk.subarray(runStart))
    this.#state = chunk[n - 1] === LF ? State.LineStart : State.Data
    return { chunks, done: false }
  }

  /**
   * DotDecoder.end: asserts that the body was complete when the stream ended; a `ProtocolError` if the
   * connection closed before the terminating line.
   */
  end(): void {
    if (this.#state !== State.Done) {
      throw new ProtocolError('The connection ended inside a dot-terminated body (no "." line)')
    }
  }

  /**
   * Looks past a dropped line-opening dot whose next byte is `chunk[at]`. Returns where scanning goes on
   * (a line that is not the terminator), or a negative code: -1 - k (k >= 0) for "done, rest starts at
   * k", or MIN_SAFE_INTEGER for "the chunk ended, state saved".
   */
  #afterDot(chunk: Buffer, at: number): number {
    if (at >= chunk.length) {
      this.#state = State.Dot
      return Number.MIN_SAFE_INTEGER
    }
    const c = chunk[at]
    if (c === LF) return -2 - at
    if (c === CR) {
      if (at + 1 >= chunk.length) {
        this.#state = State.DotCr
        return Number.MIN_SAFE_INTEGER
      }
      if (chunk[at + 1] === LF) return -3 - at
    }
    return at
  }

  #finish(chunks: Buffer[], chunk: Buffer, code: number): DotDecoderResult {
    if (code === Number.MIN_SAFE_INTEGER) return { chunks, done: false }
    this.#state = State.Done
    const restStart = -1 - code
    return { chunks, done: true, rest: restStart >= chunk.length ? EMPTY : chunk.subarray(restStart) }
  }
}

/**
 * decodeDotBody: a whole multi-line data block at once: the unstuffed body and the octets after the
 * terminating line. `ProtocolError` if the terminating line is missing. The body is a subarray of
 * `wire` unless a line had to lose its dot. RFC 1939 section 3, RFC 3977 section 3.1.1.
 *
 * ```ts
 * decodeDotBody(Buffer.from('..x\r\n.\r\n'))  // { body: <".x\r\n">, rest: <> }
 * ```
 */
export function decodeDotBody(wire: Buffer): { body: Buffer; rest: Buffer } {
  const decoder = new DotDecoder()
  const { chunks, rest } = decoder.push(wire)
  decoder.end()
  const body = chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? EMPTY : Buffer.concat(chunks)
  return { body, rest: rest ?? EMPTY }
}
