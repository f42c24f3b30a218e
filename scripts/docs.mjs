// pnpm docs: the API reference of the five published packages, from their doc comments (TypeDoc).
// Each package is converted on its own (typedoc/<package>.json: its entry points `.` and `./testing`,
// validation with warnings as errors, the package's own list of known exceptions), then the five
// JSON models are merged into one site in docs/api (git-ignored).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const packages = ['transport', 'ftp', 'smtp', 'pop3', 'nntp']
const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc')
const scratch = mkdtempSync(join(tmpdir(), 'netc-typedoc-'))

function run(args) {
  const result = spawnSync(process.execPath, [typedoc, ...args], { cwd: root, stdio: 'inherit' })
  return result.status === 0
}

let failed = []
try {
  for (const name of packages) {
    console.log(`typedoc: @netc/${name}`)
    const ok = run(['--options', `typedoc/${name}.json`, '--json', join(scratch, `${name}.json`)])
    if (!ok) failed.push(name)
  }
  if (failed.length === 0) {
    const models = packages.map((name) => join(scratch, `${name}.json`))
    if (!run(['--options', 'typedoc.json', ...models.flatMap((model) => ['--entryPoints', model])])) failed.push('merge')
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

if (failed.length > 0) {
  console.error(`pnpm docs: failed (${failed.join(', ')})`)
  process.exit(1)
}
console.log('pnpm docs: docs/api/index.html')
