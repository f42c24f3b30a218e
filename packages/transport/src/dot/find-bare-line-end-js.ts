import { asBuffer, CR, LF } from './dot-chunk.ts'

/**
 * findBareLineEndJs: `findBareLineEnd` in JavaScript, the fallback where WebAssembly SIMD is missing and
 * the path for short inputs: walks the line ends with `indexOf` (two native calls per line). RFC 5321
 * sections 2.3.8 and 4.1.1.4.
 *
 * ```
 * findBareLineEndJs(Buffer.from('a\r\nb\nc'))   // 4
 * ```
 */
export function findBareLineEndJs(input: Uint8Array): number {
  const bytes = asBuffer(input)
  let cr = bytes.indexOf(CR)
  let lf = bytes.indexOf(LF)
  for (;;) {
    if (lf !== -1 && (cr === -1 || lf < cr)) return lf // No CR since the last CRLF: the LF is bare.
    if (cr === -1) return -1
    if (bytes[cr + 1] !== LF) return cr
    // A CRLF at cr: the LF found is this one.
    cr = bytes.indexOf(CR, cr + 2)
    lf = bytes.indexOf(LF, lf + 1)
  }
}
