import { CR, LF } from './dot-chunk.ts'
import { DOT_SCAN_MEMORY_BYTES, instantiateDotScan } from './dot-scan-module.ts'

/** Where the window starts in wasm memory; the byte before it holds the byte before the window. */
const INPUT = 16
/** The most bytes one `findBare` call looks at: the memory less INPUT and the 63 bytes of overread. */
export const BARE_SCAN_WINDOW = DOT_SCAN_MEMORY_BYTES - 2 * 64

/**
 * createSimdBareLineEndFinder: `findBareLineEnd` running dot-scan.wat's `findBare` (WebAssembly SIMD, 64
 * bytes per step), or undefined where WebAssembly SIMD is missing. The input goes through wasm memory in
 * windows (a memcpy each); the byte before each window goes before it, so that a CRLF cut by a window
 * boundary is seen whole. Gives the same answers as `findBareLineEndJs`. RFC 5321 sections 2.3.8 and 4.1.1.4.
 *
 * ```
 * "a\r\nb\nc"  ->  wasm: the first (in[i] == LF) xor (in[i-1] == CR) at 4, in[4] is LF  ->  4
 * "a\rb"       ->  wasm: 2, in[2] is no LF: the CR before it is bare                   ->  1
 * ```
 * `window` (at most BARE_SCAN_WINDOW) is smaller only in tests, to cross window boundaries often.
 */
export function createSimdBareLineEndFinder(window: number = BARE_SCAN_WINDOW): ((bytes: Uint8Array) => number) | undefined {
  if (!Number.isInteger(window) || window < 1 || window > BARE_SCAN_WINDOW) return undefined
  const instance = instantiateDotScan<(input: number, length: number) => number>('findBare')
  if (instance === undefined) return undefined
  const { memory, run } = instance
  return (bytes) => {
    const n = bytes.length
    for (let start = 0; start < n; start += window) {
      const end = Math.min(n, start + window)
      memory[INPUT - 1] = start === 0 ? 0 : (bytes[start - 1] as number)
      memory.set(end - start === n ? bytes : bytes.subarray(start, end), INPUT)
      const found = run(INPUT, end - start)
      if (found >= 0) {
        const at = start + found
        return bytes[at] === LF ? at : at - 1 // A LF at `at`, else the CR before it.
      }
    }
    return n > 0 && bytes[n - 1] === CR ? n - 1 : -1 // A CR ending the input is followed by nothing.
  }
}
