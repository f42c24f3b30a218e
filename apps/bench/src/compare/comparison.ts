/**
 * Comparison: one workload run by several clients side by side (netc and the ones users would pick
 * instead), each as its own process against the same server in the same run. A contender is a command
 * (a node script, a python script, curl); the runner times it with GNU time (wall, CPU, peak RSS) and
 * reads the JSON line it prints last.
 */
export type BenchMode = 'quick' | 'full'

/** What one contender process is: its argv, environment additions and optional stdin. */
export interface ContenderCommand {
  argv: string[]
  env?: Record<string, string>
  stdin?: string
}

/**
 * ContenderOutput: the JSON object a contender prints as its last stdout line. `workMs` is the time of the
 * work itself, measured inside the process (start-up excluded); `ops` and `bytes` say what it did, so that
 * `verify` can check it really did the work.
 */
export interface ContenderOutput {
  workMs: number
  /**
   * The CPU time of the work itself (user + system), measured inside the process (`process.cpuUsage()`,
   * Python's `time.process_time()`): start-up and imports excluded, for a per-operation CPU figure.
   */
  workCpuMs?: number
  ops?: number
  bytes?: number
  [key: string]: unknown
}

/** One contender of a comparison. */
export interface Contender<Context> {
  name: string
  command(context: Context): ContenderCommand
}

export interface Comparison<Context> {
  /** A unique kebab-case name (`ftp-download-1gib`); `--only` matches it or its group. */
  name: string
  /** The protocol or area (`ftp`). */
  group: string
  /** What the workload is, for the table's heading. */
  title: string
  /** The contender the others are compared with (netc). */
  baseline: string
  /** Starts the server(s) and prepares the data; the returned context goes to every contender. */
  setup(mode: BenchMode): Promise<Context>
  contenders: Array<Contender<Context>>
  /** Throws when a contender's output shows that it did not do the whole work. */
  verify(context: Context, contender: string, output: ContenderOutput): void | Promise<void>
  /** Resets the server between runs when the workload consumes something (a mailbox emptied). */
  beforeRun?(context: Context, contender: string): void | Promise<void>
  teardown(context: Context): Promise<void>
}

/** The figures of one contender: medians over its runs. */
export interface ContenderResult {
  comparison: string
  group: string
  contender: string
  runs: number
  workMs: number
  processMs: number
  cpuMs: number
  maxRssMiB: number
  /** The median in-process CPU of the work (`ContenderOutput.workCpuMs`), null when not reported. */
  workCpuMs: number | null
  /** workCpuMs per operation (`ops`), null when either is not reported. */
  cpuPerOpMs: number | null
  /** Wall time of the work divided by the baseline's (2 = twice as slow as netc). */
  workRatio: number | null
  cpuRatio: number | null
  failure?: string
}
