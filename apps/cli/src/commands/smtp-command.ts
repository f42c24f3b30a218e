import { Command as CommanderCommand } from 'commander'
import type { StdinText } from '../common/stdin-text.ts'
import { smtpSendCommand } from './smtp-send.ts'

/**
 * smtpCommand: `netc smtp send`, over @netc/smtp (RFC 5321, 3207, 4954).
 *
 * ```
 * echo 'Hello.' | netc smtp send smtp://mail.example.com --from dave@example.com --to anna@example.com
 * ```
 */
export function smtpCommand(stdin: StdinText): CommanderCommand {
  return new CommanderCommand('smtp')
    .description('SMTP: send a message')
    .addCommand(smtpSendCommand(stdin))
    .addHelpText('after', "\nExample:\n  echo 'Hello.' | netc smtp send smtp://mail.example.com --from dave@example.com --to anna@example.com\n")
}
