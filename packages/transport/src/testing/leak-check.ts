import { readdirSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** The kinds of `process.getActiveResourcesInfo()` a network client can leave behind. */
const watchedResources = new Set(['TCPSocketWrap', 'TCPServerWrap', 'TLSWrap', 'PipeWrap', 'Timeout', 'FileHandle', 'FSReqPromise', 'FSReqCallback'])

/** ResourceSnapshot: open file descriptors (Linux `/proc/self/fd`; undefined elsewhere) and active handles by kind. */
export interface ResourceSnapshot {
  fds: number | undefined
  resources: Readonly<Record<string, number>>
}

/** takeResourceSnapshot: what the process holds now. */
export function takeResourceSnapshot(): ResourceSnapshot {
  const resources: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) {
    if (watchedResources.has(kind)) resources[kind] = (resources[kind] ?? 0) + 1
  }
  let fds: number | undefined
  try {
    fds = readdirSync('/proc/self/fd').length
  } catch {
    fds = undefined
  }
  return { fds, resources }
}

/** LeakReport: what `LeakCheck.finish` found; `leaks` is empty when everything came back. */
export interface LeakReport {
  before: ResourceSnapshot
  after: ResourceSnapshot
  unhandledRejections: readonly unknown[]
  /** One line per leak: `fds 41 → 43`, `TCPSocketWrap 0 → 1`, `unhandled rejection: ...`. */
  leaks: readonly string[]
}

/**
 * LeakCheck: the "nothing left behind" half of a fault test. `start()` records the file descriptors and
 * active handles and listens for unhandled rejections; `finish()` waits (bounded) for them to come back to
 * where they were and reports what did not.
 *
 * ```ts
 * const leaks = LeakCheck.start()
 * await runTheCell()                      // client, fake server and proxy all closed
 * expect((await leaks.finish()).leaks).toEqual([])
 * ```
 */
export class LeakCheck {
  readonly #before: ResourceSnapshot
  readonly #unhandled: unknown[] = []
  readonly #listener = (reason: unknown): void => void this.#unhandled.push(reason)

  private constructor() {
    this.#before = takeResourceSnapshot()
    process.on('unhandledRejection', this.#listener)
  }

  /** LeakCheck.start: the baseline, taken now. */
  static start(): LeakCheck {
    return new LeakCheck()
  }

  /**
   * finish: polls until the descriptors and handles are back to the baseline (or fewer), at most
   * `maxWaitMs` (default 2000: closing sockets takes a few turns), then stops listening and reports.
   */
  async finish(options: { maxWaitMs?: number } = {}): Promise<LeakReport> {
    const deadline = Date.now() + (options.maxWaitMs ?? 2000)
    let after = takeResourceSnapshot()
    let leaks = compare(this.#before, after)
    while (leaks.length > 0 && Date.now() < deadline) {
      await sleep(20)
      after = takeResourceSnapshot()
      leaks = compare(this.#before, after)
    }
    await sleep(0)
    process.off('unhandledRejection', this.#listener)
    const unhandled = [...this.#unhandled]
    return {
      before: this.#before,
      after,
      unhandledRejections: unhandled,
      leaks: [...leaks, ...unhandled.map((reason) => `unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`)],
    }
  }
}

function compare(before: ResourceSnapshot, after: ResourceSnapshot): string[] {
  const leaks: string[] = []
  if (before.fds !== undefined && after.fds !== undefined && after.fds > before.fds) leaks.push(`fds ${before.fds} → ${after.fds}`)
  for (const [kind, count] of Object.entries(after.resources)) {
    const was = before.resources[kind] ?? 0
    if (count > was) leaks.push(`${kind} ${was} → ${count}`)
  }
  return leaks
}
