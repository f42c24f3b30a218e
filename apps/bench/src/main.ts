/**
 * netc's benchmark runner: `node dist/main.js [--quick] [--only <name|group>] [--json <path>] [--runs <n>]`.
 * Runs the registered cases (src/cases/), prints a table and writes JSON (apps/bench/results/latest.json).
 * Never a pass/fail test: the numbers are for people to read.
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { BenchResult } from './bench-case.ts'
import { allCases } from './cases/index.ts'
import { measure } from './measure.ts'
import { formatTable, withRatios, writeJson } from './report.ts'

const benchRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      json: { type: 'string', default: resolve(benchRoot, 'results/latest.json') },
      runs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log('usage: node dist/main.js [--quick] [--only <name|group>]... [--json <path>] [--runs <n>]')
    console.log(`cases: ${allCases.map((benchCase) => `${benchCase.group}/${benchCase.name}`).join(', ')}`)
    return
  }
  const mode = values.quick ? 'quick' : 'full'
  const runs = values.runs === undefined ? (values.quick ? 3 : 5) : Number(values.runs)
  const only = values.only ?? []
  const selected = allCases.filter(
    (benchCase) => only.length === 0 || only.includes(benchCase.name) || only.includes(benchCase.group),
  )
  if (selected.length === 0) throw new Error(`no case matches --only ${only.join(', ')}`)
  console.log(`netc bench (${mode}, median of ${runs}), node ${process.version}`)
  const results: BenchResult[] = []
  for (const benchCase of selected) {
    const result = await measure(benchCase, benchCase.size[mode], runs)
    console.log(`  ${benchCase.name}: ${result.medianMs.toFixed(1)} ms`)
    results.push(result)
  }
  const final = withRatios(results)
  console.log(`\n${formatTable(final)}\n`)
  writeJson(values.json, final, mode)
  console.log(`written to ${values.json}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
