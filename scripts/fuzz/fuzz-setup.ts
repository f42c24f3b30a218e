// Vitest setup file (vitest.shared.ts) for fast-check properties: `pnpm fuzz` and the replay of saved
// counterexamples.
// - Fuzz mode (`NETC_FUZZ_SEED`, `NETC_FUZZ_RUNS`; scripts/fuzz.mjs sets them): every `fc.assert` runs with
//   that seed and, unless the test pins its own `numRuns`, that many runs. With `NETC_FUZZ_RECORD=1` a
//   failed property is saved as a fixture in the package's src/__fixtures__/fuzz/ (seed, path,
//   counterexample as JSON, the test and which `fc.assert` in it).
// - Replay (always): when the package has fixtures, the test each one names runs that `fc.assert` with
//   the fixture's seed and run count, which generates the same cases again and so fails on the same
//   counterexample until it is fixed, in the ordinary `pnpm test`. (The path is kept in the fixture for
//   people: fast-check's global settings take no `path`.)
// Without fixtures and without NETC_FUZZ_*, this file only looks for the fixtures folder once per package.
import { existsSync, readFileSync, readdirSync, mkdirSync, writeFileSync, appendFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { afterEach, beforeEach, expect } from 'vitest'

type FastCheck = typeof import('fast-check')
type RunDetails = import('fast-check').RunDetails<unknown>

/** FuzzFixture: one saved counterexample, as scripts/fuzz.mjs prints it. */
interface FuzzFixture {
  test: string
  name: string
  assert: number
  seed: number
  path: string
  numRuns: number
  counterexample: unknown
  counterexampleText: string
  error: string
  file?: string
}

interface FuzzState {
  fc?: FastCheck
  base?: ReturnType<FastCheck['readConfigureGlobal']>
  packageRoots: Map<string, string>
  fixtures: Map<string, FuzzFixture[]>
  current?: { packageRoot: string; test: string; name: string; asserts: number; replay: FuzzFixture[] }
}

const stateKey = Symbol.for('netc.fuzz.state')
const holder = globalThis as typeof globalThis & { [stateKey]?: FuzzState }
const state: FuzzState = (holder[stateKey] ??= { packageRoots: new Map(), fixtures: new Map() })

const fuzzSeed = process.env.NETC_FUZZ_SEED
const fuzzRuns = process.env.NETC_FUZZ_RUNS
const record = process.env.NETC_FUZZ_RECORD === '1'
const statsFile = process.env.NETC_FUZZ_STATS
const fuzzing = fuzzSeed !== undefined || fuzzRuns !== undefined

function packageRootOf(testPath: string): string {
  const start = dirname(testPath)
  const known = state.packageRoots.get(start)
  if (known !== undefined) return known
  let directory = start
  while (!existsSync(join(directory, 'package.json')) && dirname(directory) !== directory) directory = dirname(directory)
  state.packageRoots.set(start, directory)
  return directory
}

function fixturesOf(packageRoot: string): FuzzFixture[] {
  const known = state.fixtures.get(packageRoot)
  if (known !== undefined) return known
  const folder = join(packageRoot, 'src', '__fixtures__', 'fuzz')
  const fixtures = existsSync(folder)
    ? readdirSync(folder)
        .filter((file) => file.endsWith('.json'))
        .map((file) => ({ ...(JSON.parse(readFileSync(join(folder, file), 'utf8')) as FuzzFixture), file }))
    : []
  state.fixtures.set(packageRoot, fixtures)
  return fixtures
}

function toJson(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === 'bigint') return { bigint: item.toString() }
      if (item instanceof Uint8Array) return { bytes: Buffer.from(item).toString('hex') }
      if (item instanceof Map) return { map: [...item] }
      if (item instanceof Set) return { set: [...item] }
      return item
    }) ?? 'null',
  ) as unknown
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'test'
}

function saveFixture(fc: FastCheck, details: RunDetails, assertIndex: number): void {
  const current = state.current
  if (current === undefined || details.counterexample === null) return
  const fixture: FuzzFixture = {
    test: current.test,
    name: current.name,
    assert: assertIndex,
    seed: details.seed,
    path: details.counterexamplePath ?? '',
    numRuns: details.runConfiguration.numRuns ?? details.numRuns,
    counterexample: toJson(details.counterexample),
    counterexampleText: fc.stringify(details.counterexample),
    error: String(details.errorInstance instanceof Error ? details.errorInstance.message : details.errorInstance).split('\n')[0] ?? '',
  }
  const folder = join(current.packageRoot, 'src', '__fixtures__', 'fuzz')
  mkdirSync(folder, { recursive: true })
  const base = `${slug(current.test.replace(/\.test\.ts$/, ''))}--${slug(current.name)}--${assertIndex}`
  writeFileSync(join(folder, `${base}.json`), `${JSON.stringify(fixture, null, 2)}\n`)
}

/** Sets the global parameters for the next `fc.assert` of the current test (index `next`). */
function configureFor(fc: FastCheck, next: number): void {
  const base = state.base ?? {}
  const replay = state.current?.replay.find((fixture) => fixture.assert === next)
  fc.configureGlobal(replay === undefined ? base : { ...base, seed: replay.seed, numRuns: replay.numRuns })
}

function installPlugin(fc: FastCheck): void {
  fc.installGlobalPlugin(() => {
    const current = state.current
    const index = current === undefined ? -1 : current.asserts++
    return {
      onAllRunsComplete: (details: RunDetails) => {
        if (statsFile !== undefined) appendFileSync(statsFile, `${JSON.stringify({ runs: details.numRuns, failed: details.failed })}\n`)
        if (record && details.failed && index >= 0) saveFixture(fc, details, index)
      },
      afterAll: () => {
        if (current !== undefined && current === state.current) configureFor(fc, index + 1)
      },
    }
  })
}

async function loadFastCheck(): Promise<FastCheck> {
  if (state.fc !== undefined) return state.fc
  const fc = await import('fast-check')
  state.fc = fc
  state.base = fuzzing
    ? {
        ...(fuzzSeed === undefined ? {} : { seed: Number(fuzzSeed) }),
        ...(fuzzRuns === undefined ? {} : { numRuns: Number(fuzzRuns) }),
      }
    : fc.readConfigureGlobal()
  installPlugin(fc)
  return fc
}

beforeEach(async () => {
  const { testPath, currentTestName } = expect.getState()
  if (testPath === undefined) return
  const packageRoot = packageRootOf(testPath)
  const test = relative(packageRoot, testPath).split(sep).join('/')
  const name = currentTestName ?? ''
  const replay = fixturesOf(packageRoot).filter((fixture) => fixture.test === test && fixture.name === name)
  if (!fuzzing && replay.length === 0 && state.fc === undefined) return
  const fc = await loadFastCheck()
  state.current = { packageRoot, test, name, asserts: 0, replay }
  configureFor(fc, 0)
})

afterEach(() => {
  if (state.fc === undefined) return
  state.current = undefined
  state.fc.configureGlobal(state.base ?? {})
})
