import { InvalidStateError } from '../errors/index.ts'
import { createJsDotChunkEncoder } from './create-js-dot-chunk-encoder.ts'
import { simdDotChunkEncoder } from './create-simd-dot-chunk-encoder.ts'
import { EMPTY, type DotChunkEncoder, type EncoderState } from './dot-chunk.ts'

/** The chunk encoder for one encoding: WebAssembly SIMD where the engine has it, else plain JavaScript. */
function chunkEncoder(): DotChunkEncoder {
  return simdDotChunkEncoder() ?? createJsDotChunkEncoder()
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
 * two flags between chunks. The work is done by WebAssembly SIMD (dot-scan.wat) where the engine has it,
 * else by one `Buffer.indexOf` per line; both give the same bytes.
 */
export class DotEncoder {
  readonly #state: EncoderState = { lineStart: true, skipLf: false }
  readonly #encode = chunkEncoder()
  #ended = false

  /** DotEncoder.push: the encoded octets of the next chunk of the body (possibly an empty buffer). */
  push(chunk: Uint8Array | string): Buffer {
    if (this.#ended) throw new InvalidStateError('DotEncoder.push after end()')
    return this.#encode(this.#state, chunk, false)
  }

  /** DotEncoder.end: the closing octets: CRLF if the body's last line was open, then `.` CRLF. */
  end(): Buffer {
    if (this.#ended) throw new InvalidStateError('DotEncoder.end called twice')
    this.#ended = true
    return this.#encode(this.#state, EMPTY, true)
  }
}

/**
 * encodeDotBody: a whole body as one dot-stuffed, CRLF-normalised data block with its terminating line
 * (a string is taken as UTF-8), in one allocation (a body longer than 64 KiB: one more copy, in SIMD
 * windows). RFC 5321 section 4.5.2, RFC 3977 section 3.1.1.
 *
 * ```ts
 * encodeDotBody('a\n.b')  // <Buffer "a\r\n..b\r\n.\r\n">
 * ```
 */
export function encodeDotBody(body: Uint8Array | string): Buffer {
  return chunkEncoder()({ lineStart: true, skipLf: false }, body, true)
}
