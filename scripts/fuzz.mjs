// pnpm fuzz [--seconds N] [--runs N] [--package NAME]...: runs every package's fast-check properties again
// and again, one `vitest run` per package and round with a fresh seed, until the time is up
// (docs/FUZZING.md). The first round always covers every package, even past the deadline. A failed
// property is saved by scripts/fuzz/fuzz-setup.ts as src/__fixtures__/fuzz/<test>--<name>--<n>.json in its package, which the
// ordinary tests replay from then on; this script prints the fixture and the command that replays it.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const root = resolve(import.meta.dirname, '..')
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    runs: { type: 'string', default: '1000' },
    package: { type: 'string', multiple: true, default: ['transport', 'ftp', 'smtp', 'pop3', 'nntp'] },
  },
})
const seconds = Number(values.seconds)
const runs = Number(values.runs)
if (!(seconds > 0) || !(runs > 0)) {
  console.error('usage: pnpm fuzz [--seconds N] [--runs N] [--package transport|ftp|smtp|pop3|nntp]...')
  process.exit(2)
}

function propertyTestFiles(packageRoot) {
  const found = []
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name)
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '__fixtures__') walk(path)
      else if (entry.name.endsWith('.test.ts') && /from 'fast-check'/.test(readFileSync(path, 'utf8'))) found.push(path)
    }
  }
  walk(join(packageRoot, 'src'))
  return found.map((path) => relative(packageRoot, path))
}

function fixtureStamps(packageRoot) {
  const folder = join(packageRoot, 'src', '__fixtures__', 'fuzz')
  if (!existsSync(folder)) return new Map()
  return new Map(readdirSync(folder).map((file) => [file, statSync(join(folder, file)).mtimeMs]))
}

const targets = values.package.map((name) => {
  const packageRoot = join(root, 'packages', name)
  return { name, packageRoot, files: propertyTestFiles(packageRoot), rounds: 0, failed: false }
})
const scratch = mkdtempSync(join(tmpdir(), 'netc-fuzz-'))
const statsFile = join(scratch, 'stats.ndjson')
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs')
const started = Date.now()
const deadline = started + seconds * 1000
const failures = []

console.log(`fuzz: ${seconds} s, ${runs} runs per property and seed (unless a test pins numRuns), packages: ${targets.map((t) => `${t.name} (${t.files.length} files)`).join(', ')}`)
try {
  // Whole rounds (every package once), the first one even past the deadline, so every property runs.
  let round = 0
  while ((round++ === 0 || Date.now() < deadline) && targets.some((target) => !target.failed)) {
    for (const target of targets) {
      if (round > 1 && Date.now() >= deadline) break
      if (target.failed || target.files.length === 0) continue
      const seed = Math.floor(Math.random() * 0x7fffffff)
      const before = fixtureStamps(target.packageRoot)
      const result = spawnSync(process.execPath, [vitest, 'run', ...target.files, '--reporter=dot', '--silent'], {
        cwd: target.packageRoot,
        encoding: 'utf8',
        // A run is not cut at the deadline (its properties finish); a hung one is stopped after 5 minutes.
        timeout: 300_000,
        env: { ...process.env, NETC_FUZZ_SEED: String(seed), NETC_FUZZ_RUNS: String(runs), NETC_FUZZ_RECORD: '1', NETC_FUZZ_STATS: statsFile, FORCE_COLOR: '0' },
      })
      target.rounds++
      if (result.status === 0) continue
      target.failed = true
      const after = fixtureStamps(target.packageRoot)
      const saved = [...after].filter(([file, stamp]) => before.get(file) !== stamp).map(([file]) => file)
      failures.push({ target, seed, saved, output: `${result.stdout}${result.stderr}`, status: result.status ?? result.signal })
    }
  }
} finally {
  const stats = existsSync(statsFile)
    ? readFileSync(statsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
    : []
  rmSync(scratch, { recursive: true, force: true })
  const total = stats.reduce((sum, entry) => sum + entry.runs, 0)
  console.log(`fuzz: ${((Date.now() - started) / 1000).toFixed(0)} s, ${targets.map((t) => `${t.name} ${t.rounds} rounds`).join(', ')}; ${stats.length} property checks, ${total} generated cases`)
}

for (const { target, seed, saved, output, status } of failures) {
  console.log(`\nfuzz: @netc/${target.name} FAILED with seed ${seed} (exit ${status})`)
  if (saved.length === 0) {
    console.log('  no counterexample was saved (the failure is not a fast-check property); the output:')
    console.log(output.split('\n').slice(-60).join('\n'))
    continue
  }
  for (const file of saved) {
    const fixture = JSON.parse(readFileSync(join(target.packageRoot, 'src', '__fixtures__', 'fuzz', file), 'utf8'))
    console.log(`  saved packages/${target.name}/src/__fixtures__/fuzz/${file}`)
    console.log(`  ${fixture.test} > ${fixture.name} (fc.assert #${fixture.assert + 1}): ${fixture.error}`)
    console.log(`  counterexample: ${fixture.counterexampleText}  { seed: ${fixture.seed}, path: "${fixture.path}" }`)
    const testName = fixture.name.split(' > ').at(-1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    console.log(`  replay: cd packages/${target.name} && npx vitest run ${fixture.test} -t ${JSON.stringify(testName)}`)
  }
}
if (failures.length > 0) process.exit(1)
console.log('fuzz: no property failed')
