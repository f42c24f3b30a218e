import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'

/** How a managed process ended. */
export interface ProcessExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/**
 * A daemon started by the harness in the foreground, known by the PID recorded at spawn. It leads its own
 * process group (the group's id is that PID), so signals go to `-pid`: the daemon and the session processes it
 * forked, and nothing the harness did not start.
 */
export interface ManagedProcess {
  readonly pid: number
  readonly name: string
  /** Resolves when the process has ended. */
  readonly exited: Promise<ProcessExit>
  /** True once the process has ended. */
  hasExited(): boolean
  /**
   * SIGTERM (or `signal`) to this PID, SIGKILL to its group after `timeoutMs`, and SIGKILL to whatever is
   * left of the group once it has ended; resolves when it is gone.
   */
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<ProcessExit>
  /** The end of its log file (stdout and stderr), for error messages. */
  logTail(lines?: number): string
}

/** Options for {@link startProcess}. */
export interface StartProcessOptions {
  /** A short name for messages ("vsftpd"). */
  readonly name: string
  /** stdout and stderr are appended to this file. */
  readonly logFile: string
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  readonly uid?: number
  readonly gid?: number
}

/** Every process started and not yet ended, so that an exiting harness can take them down with it. */
const running = new Map<number, ManagedProcess>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // The last line of defence when a test runner dies without afterAll: SIGKILL the PIDs we started, only those.
  process.once('exit', () => {
    for (const pid of running.keys()) signalGroup(pid, 'SIGKILL')
  })
}

/** Sends `signal` to the process group led by `pid` (made at spawn), or to `pid` alone if that fails. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n')
  } catch {
    return ''
  }
}

/**
 * Spawns a daemon that stays in the foreground (`background=NO`, `-F`, `-f`, `-d`...), in its own process
 * group so that Ctrl-C in `pnpm harness up` reaches the harness and not the daemon, and records its PID.
 */
export function startProcess(command: string, args: readonly string[], options: StartProcessOptions): ManagedProcess {
  installExitHook()
  const log = openSync(options.logFile, 'a')
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
    detached: true,
    stdio: ['ignore', log, log],
  })
  closeSync(log)
  const pid = child.pid
  if (pid === undefined) {
    // ENOENT and friends arrive as an 'error' event; without a listener it would crash the test runner.
    child.once('error', () => undefined)
    throw new Error(`${options.name}: could not start ${command} (is it installed? run apps/harness/scripts/install-debian.sh)`)
  }
  let exit: ProcessExit | undefined
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal }
      running.delete(pid)
      resolve(exit)
    })
  })
  const managed: ManagedProcess = {
    pid,
    name: options.name,
    exited,
    hasExited: () => exit !== undefined,
    async stop({ signal = 'SIGTERM', timeoutMs = 5_000 } = {}) {
      if (exit) {
        signalGroup(pid, 'SIGKILL') // leftover session processes of an ended daemon
        return exit
      }
      try {
        process.kill(pid, signal) // the daemon first, so that it can shut down its children itself
      } catch {
        // ended meanwhile
      }
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), timeoutMs)
      try {
        return await exited
      } finally {
        clearTimeout(timer)
        signalGroup(pid, 'SIGKILL')
      }
    },
    logTail: (lines = 20) => tail(options.logFile, lines),
  }
  running.set(pid, managed)
  return managed
}

/** Waits for a process to end, at most `timeoutMs`; true when it did. */
export async function waitForExit(managed: ManagedProcess, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  try {
    return await Promise.race([managed.exited.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}
