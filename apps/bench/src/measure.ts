import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { BenchCase, BenchResult } from './bench-case.ts'

// A full garbage collection between runs, so that one run does not pay for the previous run's garbage.
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

/** median: the middle value (the mean of the two middle values for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/**
 * measure: runs a case once to warm up, then `runs` times timed with `process.hrtime.bigint()`; the
 * machine is shared and noisy, so the median is what counts. A full garbage collection runs before each
 * timed run, so that no run pays for the previous one's garbage.
 */
export async function measure(benchCase: BenchCase, size: number, runs: number): Promise<BenchResult> {
  await benchCase.setup?.(size)
  let bytes = await benchCase.run(size)
  const timesMs: number[] = []
  for (let run = 0; run < runs; run++) {
    collectGarbage()
    const start = process.hrtime.bigint()
    bytes = await benchCase.run(size)
    timesMs.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  await benchCase.teardown?.()
  const medianMs = median(timesMs)
  return {
    name: benchCase.name,
    group: benchCase.group,
    floor: benchCase.floor ?? null,
    bytes,
    runs,
    timesMs,
    medianMs,
    throughputMBps: bytes / 1e6 / (medianMs / 1e3),
    ratioToFloor: null,
  }
}
