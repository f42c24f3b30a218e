import { CommanderError } from 'commander'
import { CliError, ExitCode } from './common/cli-error.ts'
import { exitCodeOf } from './common/exit-code-of.ts'
import { reasonOf } from './common/step.ts'
import { fail } from './common/terminal.ts'
import { netcProgram } from './program.ts'

const helpCodes = new Set(['commander.helpDisplayed', 'commander.version'])

/**
 * runNetc: runs `netc` with these arguments and resolves with its exit code (apps/cli/README.md): errors
 * become one line on stderr, never a stack trace; commander's usage errors are exit 2.
 *
 * ```
 * process.exitCode = await runNetc(process.argv.slice(2))
 * ```
 */
export async function runNetc(args: readonly string[]): Promise<number> {
  try {
    await netcProgram().parseAsync([...args], { from: 'user' })
    return ExitCode.ok
  } catch (error) {
    if (error instanceof CommanderError) return helpCodes.has(error.code) ? ExitCode.ok : ExitCode.usage
    if (error instanceof CliError) fail(error.message)
    else fail(reasonOf(error))
    return exitCodeOf(error)
  }
}
