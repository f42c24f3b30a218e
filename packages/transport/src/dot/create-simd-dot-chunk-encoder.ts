import {
  asBuffer,
  chunkStart,
  CR,
  CRLF_TERMINATOR,
  EMPTY,
  LF,
  TERMINATOR,
  type DotChunkEncoder,
  type EncoderState,
} from './dot-chunk.ts'
import { instantiateDotScan } from './dot-scan-module.ts'

/** The most input bytes one `encode` call takes. */
export const SIMD_WINDOW = 64 * 1024
/** Where the window starts in wasm memory; the byte before it holds the byte before the window. */
const INPUT = 16
/**
 * Where `encode` writes (2 * SIMD_WINDOW bytes, 15 more as scratch): past the window and its overread, all
 * inside the module's DOT_SCAN_MEMORY_BYTES.
 */
const OUTPUT = INPUT + SIMD_WINDOW + 64
const LF_ONLY = Buffer.from([LF])

let shared: DotChunkEncoder | null | undefined

/**
 * createSimdDotChunkEncoder: a `DotChunkEncoder` running dot-scan.wat (WebAssembly SIMD, 16 bytes per
 * compare), or undefined where WebAssembly SIMD is missing. Each chunk is copied into wasm memory (a
 * memcpy), encoded there (the clean runs between edits copied in bulk), and copied out into one exactly
 * sized buffer. A chunk longer than `window` goes through in windows, each copied out, then
 * joined. Gives the same bytes as `createJsDotChunkEncoder`. RFC 5321 section 4.5.2.
 *
 * ```
 * chunk "a\n.b\r", line start  ->  wasm "a\r\n..b\r"  ->  + LF for the CR ending the chunk  ->  "a\r\n..b\r\n"
 * ```
 *
 * It keeps no state between calls, so one instance serves every encoder. `window` (at most SIMD_WINDOW)
 * is smaller only in tests, to cross window boundaries often.
 */
export function createSimdDotChunkEncoder(window: number = SIMD_WINDOW): DotChunkEncoder | undefined {
  if (!Number.isInteger(window) || window < 1 || window > SIMD_WINDOW) return undefined
  const instance = instantiateDotScan<(input: number, length: number, output: number) => number>('encode')
  if (!instance) return undefined
  const memory = instance.memory
  const run = instance.run
  const encode = (length: number): number => run(INPUT, length, OUTPUT)

  /** Encodes chunk[start, end) in wasm memory; returns the output length there. */
  const encodeWindow = (chunk: Buffer, start: number, end: number, before: number): number => {
    memory[INPUT - 1] = before
    chunk.copy(memory, INPUT, start, end)
    return encode(end - start)
  }

  /** Encodes chunk[from..] window by window, each window's output copied out of wasm memory. */
  const encodeWindows = (chunk: Buffer, from: number, before: number): Buffer[] => {
    const parts: Buffer[] = []
    for (let start = from; start < chunk.length; start += window) {
      const end = Math.min(chunk.length, start + window)
      const written = encodeWindow(chunk, start, end, start === from ? before : chunk[start - 1]!)
      parts.push(Buffer.from(memory.subarray(OUTPUT, OUTPUT + written)))
    }
    return parts
  }

  return (state: EncoderState, input: Uint8Array | string, final: boolean): Buffer => {
    const chunk = asBuffer(input)
    const n = chunk.length
    const from = chunkStart(state, chunk)
    const before = state.lineStart ? LF : 0
    if (from < n) {
      const last = chunk[n - 1]
      state.lineStart = last === LF || last === CR
      state.skipLf = last === CR
    }
    const closing = from < n && state.skipLf ? LF_ONLY : EMPTY // A CR ending the chunk becomes CRLF.
    const tail = !final ? EMPTY : state.lineStart ? TERMINATOR : CRLF_TERMINATOR
    if (n - from <= window) {
      const written = from < n ? encodeWindow(chunk, from, n, before) : 0
      const size = written + closing.length + tail.length
      if (size === 0) return EMPTY
      const out = Buffer.allocUnsafe(size)
      memory.copy(out, 0, OUTPUT, OUTPUT + written)
      if (closing.length > 0) out[written] = LF
      if (tail.length > 0) tail.copy(out, written + closing.length)
      return out
    }
    return Buffer.concat([...encodeWindows(chunk, from, before), closing, tail])
  }
}

/** simdDotChunkEncoder: the shared SIMD encoder, instantiated once on first use, or undefined without SIMD. */
export function simdDotChunkEncoder(): DotChunkEncoder | undefined {
  if (shared === undefined) shared = createSimdDotChunkEncoder() ?? null
  return shared ?? undefined
}
