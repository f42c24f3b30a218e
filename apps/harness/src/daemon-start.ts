import { once } from './daemon.ts'
import { startProcess, type ManagedProcess, type StartProcessOptions } from './process.ts'
import { makeTempDir } from './temp-dir.ts'

/** What one daemon start owns while it comes up and runs: its temp dir and the processes it started. */
export interface DaemonStart {
  /** The fresh temp dir (config, state, spool, logs, certificates). */
  readonly directory: string
  /**
   * startProcess, tracked: `stop()` stops it by its PID (SIGTERM, SIGKILL to its group after
   * `stopTimeoutMs`, default the process's own).
   */
  spawn(command: string, args: readonly string[], options: StartProcessOptions & { stopTimeoutMs?: number }): ManagedProcess
  /** A step that runs before the processes are signalled (INN's `ctlinnd shutdown`); errors are ignored. */
  beforeStop(step: () => Promise<void>): void
  /** Runs the steps, stops every process (in parallel), removes the temp dir. Idempotent: a second call waits for the first. */
  readonly stop: () => Promise<void>
}

/**
 * startDaemon: the skeleton every harness starter shares: a temp dir `netc-<name>-XXXXXX` (under `parent`
 * when given), the processes `start` spawns through the scope, and on any failure of `start` everything
 * stopped and removed before the error goes on. The daemon `start` returns keeps `scope.stop`.
 *
 * ```ts
 * return startDaemon('tinyproxy', async (scope) => {
 *   const child = scope.spawn('/usr/bin/tinyproxy', ['-d', '-c', config], { name: 'tinyproxy', logFile })
 *   return { host: '127.0.0.1', port, stop: scope.stop }
 * })
 * ```
 */
export async function startDaemon<T>(name: string, start: (scope: DaemonStart) => Promise<T>, parent?: string): Promise<T> {
  const temp = await makeTempDir(name, parent)
  const processes: { child: ManagedProcess; timeoutMs: number | undefined }[] = []
  const steps: (() => Promise<void>)[] = []
  const scope: DaemonStart = {
    directory: temp.path,
    spawn(command, args, options) {
      const child = startProcess(command, args, options)
      processes.push({ child, timeoutMs: options.stopTimeoutMs })
      return child
    },
    beforeStop(step) {
      steps.push(step)
    },
    stop: once(async () => {
      for (const step of steps) await step().catch(() => undefined)
      await Promise.all(processes.map(({ child, timeoutMs }) => child.stop(timeoutMs === undefined ? {} : { timeoutMs })))
      await temp.remove()
    }),
  }
  try {
    return await start(scope)
  } catch (error) {
    await scope.stop()
    throw error
  }
}
