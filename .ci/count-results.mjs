// Sums vitest's JSON reports over all packages and apps, adds the check steps, and prints the closing
// line "N passed, N failed". Exits non-zero when nothing passed or anything failed.
import { readFileSync, readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const [checksPassed = '0', checksFailed = '0'] = process.argv.slice(2)
let passed = Number(checksPassed)
let failed = Number(checksFailed)

for (const group of ['packages', 'apps']) {
  if (!existsSync(group)) continue
  for (const name of readdirSync(group)) {
    const file = join(group, name, '.turbo', 'vitest-results.json')
    if (!existsSync(file)) continue
    const report = JSON.parse(readFileSync(file, 'utf8'))
    const suitesFailedWithoutTests = report.numFailedTests === 0 ? report.numFailedTestSuites : 0
    console.log(`${group}/${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed${report.numPendingTests ? `, ${report.numPendingTests} skipped` : ''}${suitesFailedWithoutTests ? `, ${suitesFailedWithoutTests} suites failed to run` : ''}`)
    passed += report.numPassedTests
    failed += report.numFailedTests + suitesFailedWithoutTests + (report.numPendingTests ?? 0)
  }
}

console.log(`${passed} passed, ${failed} failed`)
process.exit(passed > 0 && failed === 0 ? 0 : 1)
