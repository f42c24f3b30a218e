/**
 * ExitCode: the documented exit codes of `netc` (apps/cli/README.md).
 *
 * ```
 * 0 ok   1 the server refused (a reply error)   2 usage   3 cannot connect (DNS, refused, TLS)
 * 4 authentication failed   5 timeout
 * ```
 */
export const ExitCode = {
  ok: 0,
  refused: 1,
  usage: 2,
  connect: 3,
  auth: 4,
  timeout: 5,
} as const

/** ExitCodeValue: one of the values of `ExitCode`. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * CliError: an error the CLI raises itself with a ready message and exit code, e.g. a usage mistake
 * (`netc: --to needs an address`, exit 2) or a step that failed (`cannot cd to "dave": 550 ...`).
 */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue

  constructor(message: string, exitCode: ExitCodeValue, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}

/** usageError: a CliError with exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.usage)
}
