import { ConnectionError, NetcError, ReplyError, TimeoutError } from '../errors/index.ts'
import { messageOf } from '../errors/message-of.ts'
import { IdleTimer, type KeepAliveOptions } from './keep-alive.ts'

/** What ConnectionIdle needs of its Connection. */
export interface ConnectionIdleHost {
  /** True when the connection is open and no call runs or waits. */
  isIdle(): boolean
  isClosed(): boolean
  /** Runs one keep-alive exchange as a queued call (`sendKeepAlive`). */
  runKeepAlive(options: KeepAliveOptions): Promise<void>
  /** Closes the connection with `reason` (the idle timeout, a failed keep-alive). */
  destroy(reason: Error): void
}

/**
 * ConnectionIdle: a Connection's two timers for the time nothing runs: the idle timeout, which closes it
 * with `TimeoutError` (phase `idle`), and the keep-alive, which sends its command (`KeepAliveOptions`) and
 * closes the connection if that fails. Both stop while calls run or wait (`stop`) and start again once
 * the last one has settled (`restart`, or the `settledWith`/`settledThrowing` pair for a promise).
 *
 * ```ts
 * const idle = new ConnectionIdle(timeouts.idle, options.keepAlive, host)
 * idle.stop(); queue.run(job).then(idle.settledWith, idle.settledThrowing)
 * // (60 s with nothing to do)  C: NOOP   S: 200 ok        (keep-alive, RFC 959 section 4.1.3)
 * ```
 */
export class ConnectionIdle {
  /** Whether either timer is on (not by default): only then do calls need to stop and restart them. */
  readonly active: boolean
  readonly #host: ConnectionIdleHost
  readonly #idleTimer: IdleTimer
  readonly #keepAliveTimer: IdleTimer | undefined

  constructor(idleTimeout: number, keepAlive: KeepAliveOptions | undefined, host: ConnectionIdleHost) {
    this.#host = host
    this.#idleTimer = new IdleTimer(idleTimeout, () => {
      host.destroy(new TimeoutError(`connection idle for ${idleTimeout} ms`, { phase: 'idle', timeout: idleTimeout }))
    })
    if (keepAlive !== undefined && keepAlive.interval > 0) this.#keepAliveTimer = new IdleTimer(keepAlive.interval, () => this.#ping(keepAlive))
    this.#keepAliveTimer?.arm()
    this.active = idleTimeout > 0 || this.#keepAliveTimer !== undefined
  }

  /** stop: a call is queued: neither timer may fire meanwhile. */
  stop(): void {
    this.#idleTimer.clear()
    this.#keepAliveTimer?.clear()
  }

  /** restart: the timers run again from now, if the connection is open and idle. */
  restart(): void {
    if (!this.#host.isIdle()) return
    this.#idleTimer.arm()
    this.#keepAliveTimer?.arm()
  }

  /** A queued call fulfilled: the timers restart (if nothing else runs), and its value passes on. */
  readonly settledWith = <T>(value: T): T => {
    this.restart()
    return value
  }

  /** A queued call failed: the timers restart (if nothing else runs), and its error passes on. */
  readonly settledThrowing = (error: unknown): never => {
    this.restart()
    throw error
  }

  /** One keep-alive, when nothing runs or waits; it leaves the idle timeout running (it is not use). */
  #ping(options: KeepAliveOptions): void {
    const host = this.#host
    if (!host.isIdle()) return
    host.runKeepAlive(options).then(
      () => {
        if (host.isIdle()) this.#keepAliveTimer?.arm()
      },
      (error: unknown) => {
        if (host.isClosed()) return
        const what = options.command.toLog()
        host.destroy(
          NetcError.isInstance(error) && !ReplyError.isInstance(error)
            ? error
            : new ConnectionError(`keep-alive ${what} failed: ${messageOf(error)}`, { cause: error }),
        )
      },
    )
  }
}
