import { ReplyError } from '@netc/transport'
import { CliError, ExitCode } from './cli-error.ts'
import { exitCodeOf } from './exit-code-of.ts'

/**
 * step: runs one step of a command and, when it fails, turns the error into one line that names what
 * failed, with the exit code of `exitCodeOf`:
 *
 * ```
 * await step('cannot cd to "dave"', () => ftp.cd('dave'))   // → cannot cd to "dave": 550 Failed to change directory.
 * ```
 */
export async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof CliError) throw error
    throw new CliError(`${what}: ${reasonOf(error)}`, exitCodeOf(error), { cause: error })
  }
}

/** reasonOf: why an error happened, in a few words: the server's reply for a reply error (`550 No such file`). */
export function reasonOf(error: unknown): string {
  if (ReplyError.isInstance(error)) {
    const text = error.lines.join(' ').trim()
    if (error.replyCode > 0) return `${error.replyCode} ${text}`.trim()
    return text.startsWith('-ERR') ? text : `-ERR ${text}`.trim()
  }
  if (error instanceof Error) return error.message
  return String(error)
}

/** connectStep: connecting and logging in; a refused login reads "cannot log in as dave", others "cannot reach host". */
export async function connectStep<T>(host: string, port: number, user: string | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    const code = exitCodeOf(error)
    const what =
      code === ExitCode.auth ? `cannot log in${user === undefined ? '' : ` as ${user}`} at ${host}:${port}`
      : code === ExitCode.refused ? `${host}:${port} refused the session`
      : `cannot reach ${host}:${port}`
    // The library may have said "cannot reach HOST:PORT" already: say it once.
    const reason = reasonOf(error).replace(/^cannot (reach|connect to) \S+: /, '')
    throw new CliError(`${what}: ${reason}`, code, { cause: error })
  }
}
