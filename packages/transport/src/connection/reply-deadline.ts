import { TimeoutError, type TimeoutPhase } from '../errors/index.ts'

/**
 * ReplyDeadline: the timeout of a connection's reads, one lazily re-armed timer for all of them instead
 * of a `setTimeout` and `clearTimeout` per wait. `begin` notes a read's deadline (and arms the timer
 * only when none is armed early enough), `end` forgets it and leaves the timer be; when the timer fires
 * it re-arms itself for a later deadline, or calls `expire` with the `TimeoutError` of a read whose
 * deadline has passed. Reads of one connection never overlap, so one deadline at a time is enough.
 *
 * ```ts
 * const deadline = new ReplyDeadline((error) => reader.fail(error))
 * deadline.begin(60_000, 'reply')   // S: (nothing for 60 s) → TimeoutError "no reply from the server within 60000 ms"
 * deadline.end()
 * ```
 * The timer keeps the process alive only while a read waits.
 */
export class ReplyDeadline {
  private readonly expire: (error: TimeoutError) => void
  private timer: NodeJS.Timeout | undefined
  /** When the armed timer fires (epoch ms). */
  private firesAt = 0
  /** The waiting read's deadline (epoch ms), 0 when no read waits. */
  private deadline = 0
  private timeout = 0
  private phase: TimeoutPhase = 'reply'

  constructor(expire: (error: TimeoutError) => void) {
    this.expire = expire
  }

  /** begin: a read starts waiting, for at most `timeout` ms (`0`: no limit) from `now`. */
  begin(timeout: number, phase: TimeoutPhase, now = Date.now()): void {
    if (timeout <= 0) return
    this.deadline = now + timeout
    this.timeout = timeout
    this.phase = phase
    if (this.timer === undefined || this.firesAt > this.deadline) this.arm(now)
    else this.timer.ref()
  }

  /** end: the read has finished waiting; the timer stays armed (unref'd) for the next one. */
  end(): void {
    if (this.deadline === 0) return
    this.deadline = 0
    this.timer?.unref()
  }

  private arm(now: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.firesAt = this.deadline
    this.timer = setTimeout(this.fire, Math.max(0, this.deadline - now))
  }

  private readonly fire = (): void => {
    this.timer = undefined
    if (this.deadline === 0) return
    const now = Date.now()
    if (now < this.deadline) {
      this.arm(now)
      return
    }
    const { timeout, phase } = this
    this.deadline = 0
    this.expire(new TimeoutError(`no ${phase} from the server within ${timeout} ms`, { phase, timeout }))
  }
}
