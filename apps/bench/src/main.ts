/**
 * netc's benchmark runner: `pnpm bench [--quick] [--only <name|group>] [--json <path>] [--runs <n>]`.
 * Runs the registered micro cases (src/cases/) in process, then the comparisons (src/comparisons/): netc
 * beside the clients users would pick instead, each in its own process against the same real server.
 * Prints tables and writes JSON (apps/bench/results/latest.json). Never a pass/fail test.
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { BenchResult } from './bench-case.ts'
import { allCases } from './cases/index.ts'
import type { ContenderResult } from './compare/comparison.ts'
import { formatComparison, runComparison } from './compare/run-comparisons.ts'
import { allComparisons } from './comparisons/index.ts'
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
    console.log('usage: pnpm bench [--quick] [--only <name|group>]... [--json <path>] [--runs <n>]')
    console.log(`cases: ${allCases.map((benchCase) => `${benchCase.group}/${benchCase.name}`).join(', ')}`)
    console.log(`comparisons: ${allComparisons.map((c) => `${c.group}/${c.name}`).join(', ')}`)
    return
  }
  const mode = values.quick ? 'quick' : 'full'
  const runs = values.runs === undefined ? (values.quick ? 3 : 5) : Number(values.runs)
  const only = values.only ?? []
  const selected = allCases.filter(
    (benchCase) => only.length === 0 || only.includes(benchCase.name) || only.includes(benchCase.group),
  )
  const comparisons = allComparisons.filter((c) => only.length === 0 || only.includes(c.name) || only.includes(c.group))
  if (selected.length === 0 && comparisons.length === 0) throw new Error(`nothing matches --only ${only.join(', ')}`)
  console.log(`netc bench (${mode}, median of ${runs}), node ${process.version}`)
  const results: BenchResult[] = []
  for (const benchCase of selected) {
    const result = await measure(benchCase, benchCase.size[mode], runs)
    console.log(`  ${benchCase.name}: ${result.medianMs.toFixed(1)} ms`)
    results.push(result)
  }
  const final = withRatios(results)
  if (final.length > 0) console.log(`\n${formatTable(final)}\n`)
  const compared: ContenderResult[] = []
  for (const comparison of comparisons) {
    const comparisonRuns = values.runs === undefined ? (values.quick ? 1 : 3) : runs
    const outcome = await runComparison(comparison, mode, comparisonRuns, (line) => console.log(line))
    console.log(`\n${formatComparison(`${comparison.title} (median of ${comparisonRuns})`, outcome)}\n`)
    compared.push(...outcome)
  }
  writeJson(values.json, final, mode, compared)
  if (compared.some((result) => result.contender === comparisons.find((c) => c.name === result.comparison)?.baseline && result.failure !== undefined)) {
    process.exitCode = 1
  }
  console.log(`written to ${values.json}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
