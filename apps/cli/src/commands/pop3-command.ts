import { Command as CommanderCommand } from 'commander'
import type { StdinText } from '../common/stdin-text.ts'
import { pop3GetCommand } from './pop3-get.ts'
import { pop3LsCommand } from './pop3-ls.ts'
import { pop3RmCommand } from './pop3-rm.ts'

/**
 * pop3Command: `netc pop3 ls|get|rm`, over @netc/pop3 (RFC 1939, 2449, 2595).
 *
 * ```
 * netc pop3 ls pop3://dave:secret@pop.example.com
 * ```
 */
export function pop3Command(stdin: StdinText): CommanderCommand {
  return new CommanderCommand('pop3')
    .description('POP3: ls, get, rm')
    .addCommand(pop3LsCommand(stdin))
    .addCommand(pop3GetCommand(stdin))
    .addCommand(pop3RmCommand(stdin))
    .addHelpText('after', '\nExample:\n  netc pop3 get pop3://dave:secret@pop.example.com/1\n')
}
