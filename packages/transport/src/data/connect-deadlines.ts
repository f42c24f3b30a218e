/** One pending connect: when it must have succeeded (epoch ms), and what to do when it has not. */
export interface ConnectDeadline {
  readonly deadline: number
  expire(): void
}

/**
 * ConnectDeadlines: the timeouts of pending data-connection connects, one lazily re-armed timer for all
 * of them instead of a `setTimeout` and `clearTimeout` per connect (1,000 small files over FTP: 1,000
 * timer lists made and dropped fewer, since a lone timer's list goes with it). `add` arms the timer only
 * when none is armed early enough; `delete` leaves it be. When it fires it expires what is due and
 * re-arms for the earliest rest. The timer is unref'd: a pending connect's socket keeps the process alive.
 *
 * ```ts
 * const pending = { deadline: Date.now() + 15_000, expire: () => fail(new TimeoutError('...')) }
 * connectDeadlines.add(pending)      // C: (SYN to the EPSV port) ... no answer for 15 s → expire()
 * connectDeadlines.delete(pending)   // connected (or failed) in time
 * ```
 */
export class ConnectDeadlines {
  readonly #pending = new Set<ConnectDeadline>()
  #timer: NodeJS.Timeout | undefined
  /** When the armed timer fires (epoch ms). */
  #firesAt = 0

  /** add: a connect starts; it expires at its deadline unless deleted first. */
  add(entry: ConnectDeadline, now = Date.now()): void {
    this.#pending.add(entry)
    if (this.#timer === undefined || this.#firesAt > entry.deadline) this.#arm(entry.deadline, now)
  }

  /** delete: the connect is over (opened, failed or aborted). */
  delete(entry: ConnectDeadline): void {
    this.#pending.delete(entry)
  }

  #arm(at: number, now: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#firesAt = at
    this.#timer = setTimeout(this.#fire, Math.max(0, at - now)).unref()
  }

  readonly #fire = (): void => {
    this.#timer = undefined
    const now = Date.now()
    let next = Number.POSITIVE_INFINITY
    for (const entry of this.#pending) {
      if (entry.deadline <= now) {
        this.#pending.delete(entry)
        entry.expire()
      } else if (entry.deadline < next) next = entry.deadline
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next, now)
  }
}

/** connectDeadlines: the process's ConnectDeadlines (connectDataSocket's timeouts). */
export const connectDeadlines = new ConnectDeadlines()
