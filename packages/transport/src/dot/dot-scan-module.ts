import { dotScanWasm } from './dot-scan-wasm.ts'

/** The part of the WebAssembly JavaScript API used here (neither lib ES2023 nor @types/node 20 declare it). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: Record<string, unknown> }
}

/** The memory dot-scan.wat declares (8 pages of 64 KiB). */
export const DOT_SCAN_MEMORY_BYTES = 8 * 65536

let compiled: { api: WebAssemblyApi; module: object } | null | undefined

/** The compiled dot-scan.wat, or null where WebAssembly or its SIMD is missing (`--jitless`, old engines). */
function compile(): { api: WebAssemblyApi; module: object } | null {
  if (compiled !== undefined) return compiled
  compiled = null
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly
  const bytes = Buffer.from(dotScanWasm, 'base64')
  try {
    if (api?.validate(bytes)) compiled = { api, module: new api.Module(bytes) }
  } catch {
    compiled = null // An engine that validates the module yet refuses it: the JavaScript code takes over.
  }
  return compiled
}

/**
 * instantiateDotScan: a new instance of dot-scan.wat (compiled once per process): its memory as a Buffer
 * (the memory never grows, so the view stays valid) and the exported function `name`; undefined where
 * WebAssembly SIMD is missing or the instance lacks either. Each instance has its own memory.
 *
 * ```
 * instantiateDotScan('findBare')   // { memory: <Buffer 00 00 ... 524288 bytes>, run: [Function] }
 * ```
 */
export function instantiateDotScan<F extends (...args: number[]) => number>(name: string): { memory: Buffer; run: F } | undefined {
  const wasm = compile()
  if (!wasm) return undefined
  const { exports } = new wasm.api.Instance(wasm.module)
  const memory = exports.memory as { buffer?: unknown } | undefined
  if (!(memory?.buffer instanceof ArrayBuffer) || memory.buffer.byteLength < DOT_SCAN_MEMORY_BYTES) return undefined
  const run = exports[name]
  if (typeof run !== 'function') return undefined
  return { memory: Buffer.from(memory.buffer), run: run as F }
}
