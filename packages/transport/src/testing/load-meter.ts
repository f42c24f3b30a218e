import { setTimeout as sleep } from 'node:timers/promises'
import { takeResourceSnapshot } from './leak-check.ts'

/** LoadFigures: what one load run measured, printed as one `NETC_LOAD {json}` line and kept in docs/RELIABILITY.md. */
export interface LoadFigures {
  protocol: string
  daemon: string
  sessions: number
  operations: number
  failures: number
  durationMs: number
  /** Resident set size of the test process: at the start, at its peak (sampled every 20 ms), at the end. */
  startRssMiB: number
  peakRssMiB: number
  endRssMiB: number
  /** V8 heap in use at the start and at the end (after the sessions closed). */
  startHeapMiB: number
  endHeapMiB: number
  /** Open file descriptors (Linux `/proc/self/fd`) before and after. */
  fdsBefore: number | undefined
  fdsAfter: number | undefined
}

const mebibytes = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10

/**
 * LoadMeter: measures a load run against a real daemon: duration, operations and failures, peak memory,
 * and memory and file descriptors after the run, to compare with the start.
 *
 * ```ts
 * const meter = LoadMeter.start('pop3', 'dovecot', 200)
 * await Promise.all(sessions.map(async () => meter.count(await retrieveAndCheck())))
 * const figures = await meter.finish()
 * console.log(formatLoadLine(figures))    // NETC_LOAD {"protocol":"pop3",...}
 * ```
 */
export class LoadMeter {
  readonly #protocol: string
  readonly #daemon: string
  readonly #sessions: number
  readonly #started = performance.now()
  readonly #before = takeResourceSnapshot()
  readonly #startMemory = process.memoryUsage()
  #peakRss: number
  #operations = 0
  #failures = 0
  readonly #sampler: NodeJS.Timeout

  private constructor(protocol: string, daemon: string, sessions: number) {
    this.#protocol = protocol
    this.#daemon = daemon
    this.#sessions = sessions
    this.#peakRss = this.#startMemory.rss
    this.#sampler = setInterval(() => {
      this.#peakRss = Math.max(this.#peakRss, process.memoryUsage.rss())
    }, 20)
  }

  /** LoadMeter.start: the baseline, taken now. */
  static start(protocol: string, daemon: string, sessions: number): LoadMeter {
    return new LoadMeter(protocol, daemon, sessions)
  }

  /** count: one operation, successful (its result checked) or failed. */
  count(ok: boolean): void {
    if (ok) this.#operations++
    else this.#failures++
  }

  /**
   * finish: stops sampling after the run (every session closed); waits up to `settleMs` (default 5000)
   * for the file descriptors to come back to their start, then returns the figures.
   */
  async finish(options: { settleMs?: number } = {}): Promise<LoadFigures> {
    const durationMs = Math.round(performance.now() - this.#started)
    clearInterval(this.#sampler)
    this.#peakRss = Math.max(this.#peakRss, process.memoryUsage.rss())
    const deadline = Date.now() + (options.settleMs ?? 5000)
    let after = takeResourceSnapshot()
    while (this.#before.fds !== undefined && (after.fds ?? 0) > this.#before.fds && Date.now() < deadline) {
      await sleep(50)
      after = takeResourceSnapshot()
    }
    const end = process.memoryUsage()
    return {
      protocol: this.#protocol,
      daemon: this.#daemon,
      sessions: this.#sessions,
      operations: this.#operations,
      failures: this.#failures,
      durationMs,
      startRssMiB: mebibytes(this.#startMemory.rss),
      peakRssMiB: mebibytes(this.#peakRss),
      endRssMiB: mebibytes(end.rss),
      startHeapMiB: mebibytes(this.#startMemory.heapUsed),
      endHeapMiB: mebibytes(end.heapUsed),
      fdsBefore: this.#before.fds,
      fdsAfter: after.fds,
    }
  }
}

/** formatLoadLine: `NETC_LOAD {"protocol":"pop3","daemon":"dovecot","sessions":200,...}`, one line, for scripts to grep. */
export function formatLoadLine(figures: LoadFigures): string {
  return `NETC_LOAD ${JSON.stringify(figures)}`
}
