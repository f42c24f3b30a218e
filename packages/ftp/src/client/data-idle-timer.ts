import type { Duplex } from 'node:stream'
import { TimeoutError } from '@netc/transport'
import type { FtpSession } from './ftp-session.ts'
import type { TransferStop } from './transfer-stop.ts'

/** One DataIdleTimer per control connection (its transfers run one at a time). */
const idleTimers = new WeakMap<FtpSession, DataIdleTimer>()

/** dataIdleTimer: the session's DataIdleTimer for `timeout` ms, or undefined when the timeout is off (0). */
export function dataIdleTimer(session: FtpSession, timeout: number): DataIdleTimer | undefined {
  if (timeout <= 0) return undefined
  let timer = idleTimers.get(session)
  if (timer === undefined || timer.timeout !== timeout || timer.busy) {
    timer = new DataIdleTimer(timeout)
    idleTimers.set(session, timer)
  }
  return timer
}

/**
 * DataIdleTimer: the data-idle timeout (`timeouts.data`) of one control connection's transfers: one
 * timer, made at the first transfer and pushed back by `refresh()` at each transfer's start and chunk,
 * instead of a setTimeout and clearTimeout per transfer (1,000 small files: 1,000 timers fewer). Between
 * transfers it is unref'd (it keeps no process alive) and firing does nothing.
 *
 * ```ts
 * const idle = dataIdleTimer(session, 60_000)     // C: RETR a  S: 150 ... (no byte for 60 s)
 * idle?.start(stop, data, true)                   // → TimeoutError "no data for 60000 ms on the data connection"
 * idle?.end(data)
 * ```
 */
export class DataIdleTimer {
  readonly timeout: number
  readonly #timer: NodeJS.Timeout
  #stop: TransferStop | undefined
  #data: Duplex | undefined
  #listening = false

  constructor(timeout: number) {
    this.timeout = timeout
    this.#timer = setTimeout(() => this.#fire(), timeout).unref()
  }

  /** True while a transfer runs. */
  get busy(): boolean {
    return this.#stop !== undefined
  }

  /** touch: the transfer moved: the timeout starts again. */
  readonly touch = (): void => {
    this.#timer.refresh()
  }

  /** start: arms the timer for a transfer; `listen` counts the stream's `data` and `drain` as activity. */
  start(stop: TransferStop, data: Duplex, listen: boolean): void {
    this.#stop = stop
    this.#data = data
    this.#timer.ref()
    this.#timer.refresh()
    this.#listening = listen
    if (!listen) return
    data.on('data', this.touch)
    data.on('drain', this.touch)
  }

  /** end: the transfer is over: the timer stays, unref'd, for the next one. */
  end(data: Duplex): void {
    this.#stop = undefined
    this.#data = undefined
    this.#timer.unref()
    if (!this.#listening) return
    data.off('data', this.touch)
    data.off('drain', this.touch)
  }

  #fire(): void {
    const stop = this.#stop
    if (stop === undefined) return
    const error = new TimeoutError(`no data for ${this.timeout} ms on the data connection`, { phase: 'data', timeout: this.timeout })
    stop.stop(error)
    this.#data?.destroy(error)
  }
}
