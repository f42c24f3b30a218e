import { createSimdBareLineEndFinder } from './create-simd-bare-line-end-finder.ts'
import { findBareLineEndJs } from './find-bare-line-end-js.ts'

/** Below this many bytes (a line or so) the `indexOf` walk costs about what a trip through wasm memory does. */
const SIMD_MIN_BYTES = 32

let simd: ((bytes: Uint8Array) => number) | null | undefined

/**
 * findBareLineEnd: the offset of the first bare CR or bare LF in `bytes` (a CR not followed by LF, a LF
 * not preceded by CR), or -1 when every line ending is CRLF: the check that a message needs no CRLF
 * normalisation, so that it can go out as it is. RFC 5321 section 2.3.8 allows CR and LF in mail only
 * together as CRLF, and section 4.1.1.4 warns of servers that take a bare one for a line end (the SMTP
 * smuggling of December 2023). `bytes` stands alone: a LF opening it and a CR ending it are bare.
 *
 * ```
 * findBareLineEnd(Buffer.from('a\r\nb\r\n'))   // -1
 * findBareLineEnd(Buffer.from('a\r\nb\nc'))    // 4  (the LF after "b")
 * findBareLineEnd(Buffer.from('a\rb\r\n'))     // 1
 * ```
 * It only looks. Inputs of 32 bytes or more are scanned with WebAssembly SIMD (dot-scan.wat, 64 bytes per
 * step: about 0.1 ms for a message of 1 MiB of 78-byte lines, where the `indexOf` walk takes 0.6 to 2 ms,
 * and 0.3 us for 2 KiB instead of 6); shorter ones, and all where WebAssembly SIMD is missing, by the
 * `indexOf` walk (`findBareLineEndJs`). Both give the same answers.
 */
export function findBareLineEnd(bytes: Uint8Array): number {
  if (bytes.length < SIMD_MIN_BYTES) return findBareLineEndJs(bytes)
  if (simd === undefined) simd = createSimdBareLineEndFinder() ?? null
  return simd === null ? findBareLineEndJs(bytes) : simd(bytes)
}
