// build-dot-scan-wasm: compiles src/dot/dot-scan.wat into src/dot/dot-scan-wasm.ts (the module's bytes as
// base64), with the wabt npm package (wat2wasm in JavaScript). wabt is a dev-time tool only, installed
// outside the repository and never a dependency:
//
//   mkdir -p <tool dir> && (cd <tool dir> && npm i wabt)
//   node scripts/build-dot-scan-wasm.mjs <tool dir>/node_modules/wabt
//   # or: WABT_PATH=<tool dir>/node_modules/wabt node scripts/build-dot-scan-wasm.mjs
//
// Run it from packages/transport after each change to dot-scan.wat, and commit both files.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const wabtPath = process.argv[2] ?? process.env.WABT_PATH
if (!wabtPath) {
  process.stderr.write('usage: node scripts/build-dot-scan-wasm.mjs <path to the wabt package> (or WABT_PATH)\n')
  process.exit(2)
}
const dot = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'dot')
const { default: loadWabt } = await import(pathToFileURL(join(resolve(wabtPath), 'index.js')).href)
const wabt = await loadWabt()
const source = readFileSync(join(dot, 'dot-scan.wat'), 'utf8')
const parsed = wabt.parseWat('dot-scan.wat', source, { simd: true, bulk_memory: true })
parsed.validate()
const { buffer } = parsed.toBinary({})
parsed.destroy()
const base64 = Buffer.from(buffer).toString('base64')
const lines = base64.match(/.{1,100}/g) ?? []
const module = `// Generated from dot-scan.wat by scripts/build-dot-scan-wasm.mjs (see there how to run it). Do not edit.

/** dotScanWasm: the compiled dot-scan.wat (${buffer.length} bytes), as base64. */
export const dotScanWasm =
${lines.map((line) => `  '${line}'`).join(' +\n')}
`
writeFileSync(join(dot, 'dot-scan-wasm.ts'), module)
process.stdout.write(`dot-scan-wasm.ts: ${buffer.length} bytes of wasm\n`)
