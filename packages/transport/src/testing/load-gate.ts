/**
 * LoadGate: at most `limit` tasks at once, the others wait their turn in order; for a load test that must
 * not open hundreds of connections in one burst (a burst overflows a daemon's listen backlog, and the
 * clients left over see no greeting).
 *
 * ```ts
 * const connecting = new LoadGate(25)
 * const client = await connecting.run(() => Pop3Client.connect(options))   // 25 connects in flight at most
 * ```
 */
export class LoadGate {
  readonly limit: number
  #running = 0
  readonly #waiting: Array<() => void> = []

  constructor(limit: number) {
    this.limit = limit
  }

  /** run: `task` once a place is free; its result or error. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    this.#running++
    try {
      return await task()
    } finally {
      this.#running--
      this.#waiting.shift()?.()
    }
  }
}

/**
 * LoadBarrier: resolves `reached` once `count` parties have arrived, so that a load test holds every
 * session open at once before the operations start (sessions that each finish quickly rarely overlap).
 * A party that failed before arriving arrives anyway, or the others would wait for ever.
 *
 * ```ts
 * const everyone = new LoadBarrier(200)
 * const pop = await Pop3Client.connect(options); everyone.arrive(); await everyone.reached
 * ```
 */
export class LoadBarrier {
  readonly count: number
  /** Resolves once `count` parties have arrived. */
  readonly reached: Promise<void>
  #arrived = 0
  #resolve: () => void = () => {}

  constructor(count: number) {
    this.count = count
    this.reached = new Promise<void>((resolve) => (this.#resolve = resolve))
  }

  /** arrive: one party is there. */
  arrive(): void {
    if (++this.#arrived >= this.count) this.#resolve()
  }

  /** How many parties have arrived so far. */
  get arrived(): number {
    return this.#arrived
  }
}
