import { Command as CommanderCommand } from 'commander'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson } from '../common/output.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { writeFileAtomic } from '../common/write-file-atomic.ts'
import { messageNumber, openPop3 } from './pop3-open.ts'

interface GetOptions extends CommonOptions {
  output?: string
  delete?: boolean
}

/**
 * pop3GetCommand: `netc pop3 get <url>/<n> [-o <file>] [--delete]`: RETR n (RFC 1939 section 5) to stdout
 * or a file (written whole or not at all); `--delete` marks it deleted (DELE) and QUIT commits that.
 *
 * ```
 * $ netc pop3 get pop3://dave:secret@pop.example.com/1 -o first.eml --delete
 * ```
 */
export function pop3GetCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('get')
    .description('retrieve a message to stdout or a file (--delete: then delete it)')
    .argument('<url>', 'pop3://user[:password]@host[:port]/<n>')
    .option('-o, --output <file>', 'write the message to this file instead of stdout')
    .option('--delete', 'delete the message once retrieved')
    .action(async (url: string, options: GetOptions) => {
      const { pop, path } = await openPop3(url, options, stdin)
      await using _client = pop
      const number = messageNumber(path)
      const body = await step(`cannot retrieve message ${number}`, () => pop.retrieve(number))
      if (options.output !== undefined && options.output !== '-') {
        const output = options.output
        await step(`cannot write "${output}"`, () => writeFileAtomic(output, body))
      } else if (options.json !== true) process.stdout.write(body)
      if (options.delete === true) await step(`cannot delete message ${number}`, () => pop.delete(number))
      await step('cannot end the session (QUIT)', () => pop.close())
      if (options.json === true) printJson({ number, size: body.length, deleted: options.delete === true, ...(options.output === undefined ? { message: body.toString('utf8') } : { file: options.output }) })
    })
  return addCommonOptions(command, 'netc pop3 get pop3://dave:secret@pop.example.com/1 -o first.eml --delete')
}
