import { asBuffer, DOT } from './dot-chunk.ts'
import { findBareLineEnd } from './find-bare-line-end.ts'

const CRLF_DOT = Buffer.from('\r\n.', 'latin1')

/**
 * planCleanDotBody: for a body whose every line ends in CRLF (no bare CR, no bare LF), where the dots to
 * double are: the offsets of the `.` that open a line, in order; for any other body `undefined` (it needs
 * the full encoder, DotEncoder). The wire is then the body itself with a `.` written before each of these
 * offsets, and the terminating line (`.` CRLF after a final CRLF, else CRLF `.` CRLF), so that a message
 * already in memory can go out as views of itself, without an encoded copy. Gives up (`undefined`) past
 * `maxDots`. The line ends are checked with `findBareLineEnd` (WebAssembly SIMD), then each CRLF `.` is
 * found with one `indexOf`: a body of 1 MiB costs about 0.1 ms, not one `indexOf` pair per line.
 * RFC 5321 section 4.5.2, RFC 3977 section 3.1.1.
 *
 * ```
 * "a\r\n.b\r\n"  ->  [3]        (wire "a\r\n..b\r\n.\r\n")
 * "a\n.b"        ->  undefined  (a bare LF: encode it)
 * ```
 */
export function planCleanDotBody(body: Uint8Array, maxDots: number): number[] | undefined {
  if (findBareLineEnd(body) !== -1) return undefined
  const bytes = asBuffer(body)
  const dots: number[] = []
  if (bytes.length > 0 && bytes[0] === DOT) dots.push(0)
  for (let at = bytes.indexOf(CRLF_DOT); at !== -1; at = bytes.indexOf(CRLF_DOT, at + 3)) {
    if (dots.length >= maxDots) return undefined
    dots.push(at + 2)
  }
  return dots
}
