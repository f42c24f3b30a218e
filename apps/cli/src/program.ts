import { Command as CommanderCommand } from 'commander'
import { demoCommand } from './commands/demo-command.ts'
import { ftpCommand } from './commands/ftp-command.ts'
import { nntpCommand } from './commands/nntp-command.ts'
import { pop3Command } from './commands/pop3-command.ts'
import { smtpCommand } from './commands/smtp-command.ts'
import { StdinText } from './common/stdin-text.ts'

/**
 * netcProgram: the `netc` command tree (commander). Every command has `--help` with an example; usage
 * mistakes exit 2 (see runNetc).
 *
 * ```
 * netc ftp ls ftp://ftp.example.com/pub
 * ```
 */
export function netcProgram(stdin: StdinText = new StdinText()): CommanderCommand {
  const program = new CommanderCommand('netc')
    .description('netc: FTP, SMTP, POP3 and NNTP from the command line (exit codes: 0 ok, 1 refused, 2 usage, 3 cannot connect, 4 auth failed, 5 timeout)')
    .showHelpAfterError('(add --help for usage)')
    .addCommand(demoCommand())
    .addCommand(ftpCommand(stdin))
    .addCommand(smtpCommand(stdin))
    .addCommand(pop3Command(stdin))
    .addCommand(nntpCommand(stdin))
    .addHelpText('after', '\nExample:\n  netc demo\n  netc ftp ls ftp://anonymous@ftp.example.com/pub\n')
  return exitOverrideEverywhere(program)
}

/** exitOverrideEverywhere: commander throws instead of exiting, on every subcommand, so runNetc picks the code. */
function exitOverrideEverywhere(command: CommanderCommand): CommanderCommand {
  command.exitOverride()
  for (const sub of command.commands) exitOverrideEverywhere(sub)
  return command
}
