import type { Command } from '../command/command.ts'
import type { ConnectionIo } from './connection-io.ts'
import type { Expectation } from './expectation.ts'

/**
 * KeepAliveOptions: a command that a `Connection` sends when it has sat idle (no task running or
 * queued) for `interval` milliseconds: FTP and SMTP `NOOP`, POP3 `NOOP`, NNTP `DATE`. Its reply must come
 * within the reply timeout: a keep-alive that fails or times out closes the connection with that reason,
 * so the next call fails at once with `ClosedError` (the dead-connection detector).
 *
 * ```ts
 * await Connection.open({ host, port: 119, protocol: 'nntp', keepAlive: { interval: 60_000, command: Command.of('DATE') } })
 * // (60 s idle)  C: DATE   S: 111 20261129235959
 * ```
 */
export interface KeepAliveOptions {
  /** Milliseconds of idleness before each keep-alive; `0` turns it off. */
  interval: number
  command: Command
  /** Reads and checks the reply (default: one coded reply, any 2xx); POP3 passes its `+OK` reader. */
  readReply?: ((io: ConnectionIo, command: Command) => Promise<unknown>) | undefined
  /** What a coded reply must be (default: any 2xx); ignored with `readReply`. */
  expect?: Expectation | undefined
}

/** sendKeepAlive: one keep-alive exchange on the wire (see `KeepAliveOptions`). */
export async function sendKeepAlive(io: ConnectionIo, options: KeepAliveOptions): Promise<void> {
  await io.send(options.command)
  if (options.readReply !== undefined) {
    await options.readReply(io, options.command)
    return
  }
  io.expect(await io.readCodedReply(), options.expect ?? 2, options.command)
}

/**
 * IdleTimer: one unref'd timer that calls back after `delay` milliseconds unless re-armed or cleared
 * (`0` never fires). A Connection keeps two: the idle timeout and the keep-alive.
 */
export class IdleTimer {
  private timer: NodeJS.Timeout | undefined
  private readonly delay: number
  private readonly callback: () => void

  constructor(delay: number, callback: () => void) {
    this.delay = delay
    this.callback = callback
  }

  arm(): void {
    this.clear()
    if (this.delay <= 0) return
    this.timer = setTimeout(this.callback, this.delay)
    this.timer.unref()
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }
}
