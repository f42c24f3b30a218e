/**
 * BenchCase: one measured operation. A group file under `src/cases/` exports `cases: BenchCase[]`, and
 * `src/cases/index.ts` lists the group files; nothing else needs to change to add a benchmark.
 */
export interface BenchCase {
  /** A unique, kebab-case name (`dot-encode`); `--only` matches it or its group. */
  name: string
  /** The group it belongs to, usually its file's name (`dot-codec`). */
  group: string
  /** The name of the floor case its throughput is compared with (e.g. `buffer-copy`). */
  floor?: string
  /** The input size in bytes for a full and for a `--quick` run. */
  size: { full: number; quick: number }
  /** Prepares the input for `size`, outside the timed runs (memoise: several cases may share it). */
  setup?: (size: number) => void | Promise<void>
  /** Runs the operation once over `size` bytes and returns the number of bytes it processed. */
  run: (size: number) => number | Promise<number>
  /** Frees what `setup` made, after this case's runs. */
  teardown?: () => void | Promise<void>
}

/** BenchResult: the measurements of one case, as printed and written to JSON. */
export interface BenchResult {
  name: string
  group: string
  floor: string | null
  /** Bytes processed per run. */
  bytes: number
  runs: number
  /** Every run's time in milliseconds, in run order (the warm-up not included). */
  timesMs: number[]
  medianMs: number
  /** Bytes per second over the median run, in MB/s (10^6 bytes). */
  throughputMBps: number
  /** The floor's throughput divided by this case's (2 means "half as fast as the floor"); null without a floor. */
  ratioToFloor: number | null
}

/** MiB: 2^20 bytes. */
export const MiB = 1024 * 1024
