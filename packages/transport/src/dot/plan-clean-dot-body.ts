import { CR, DOT, LF } from './dot-chunk.ts'

/**
 * planCleanDotBody: for a body whose every line ends in CRLF (no bare CR, no bare LF), where the dots to
 * double are: the offsets of the `.` that open a line, in order; for any other body `undefined` (it needs
 * the full encoder, DotEncoder). The wire is then the body itself with a `.` written before each of these
 * offsets, and the terminating line (`.` CRLF after a final CRLF, else CRLF `.` CRLF), so that a message
 * already in memory can go out as views of itself, without an encoded copy. Gives up (`undefined`) past
 * `maxDots`. RFC 5321 section 4.5.2, RFC 3977 section 3.1.1.
 *
 * ```
 * "a\r\n.b\r\n"  ->  [3]        (wire "a\r\n..b\r\n.\r\n")
 * "a\n.b"        ->  undefined  (a bare LF: encode it)
 * ```
 */
export function planCleanDotBody(body: Uint8Array, maxDots: number): number[] | undefined {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const dots: number[] = []
  if (bytes.length > 0 && bytes[0] === DOT) dots.push(0)
  let at = 0
  for (;;) {
    const cr = bytes.indexOf(CR, at)
    const lf = bytes.indexOf(LF, at)
    if (cr === -1) return lf === -1 ? dots : undefined
    if (lf !== cr + 1) return undefined
    at = lf + 1
    if (bytes[at] === DOT) {
      if (dots.length >= maxDots) return undefined
      dots.push(at)
    }
  }
}
