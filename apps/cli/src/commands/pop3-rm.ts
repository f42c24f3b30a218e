import { Command as CommanderCommand } from 'commander'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson, printLine } from '../common/output.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { messageNumber, openPop3 } from './pop3-open.ts'

/**
 * pop3RmCommand: `netc pop3 rm <url>/<n> [<n>...]`: DELE each message, then QUIT, which commits the
 * deletions (RFC 1939 section 6); a failure before QUIT deletes nothing.
 *
 * ```
 * $ netc pop3 rm pop3://dave:secret@pop.example.com/1 2 3
 * ```
 */
export function pop3RmCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('rm')
    .description('delete messages (committed at QUIT)')
    .argument('<url>', 'pop3://user[:password]@host[:port]/<n>')
    .argument('[more...]', 'more message numbers')
    .action(async (url: string, more: string[], options: CommonOptions) => {
      const { pop, path } = await openPop3(url, options, stdin)
      await using _client = pop
      const numbers = [path, ...more].map((text) => messageNumber(text.replace(/^.*\//, '')))
      for (const number of numbers) await step(`cannot delete message ${number}`, () => pop.delete(number))
      await step('cannot commit the deletions (QUIT)', () => pop.close())
      if (options.json === true) printJson({ deleted: numbers })
      else printLine(`deleted: ${numbers.join(' ')}`)
    })
  return addCommonOptions(command, 'netc pop3 rm pop3://dave:secret@pop.example.com/1 2 3')
}
