import { basename } from 'node:path'
import { Writable } from 'node:stream'
import { Command as CommanderCommand } from 'commander'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { usageError } from '../common/cli-error.ts'
import { printJson } from '../common/output.ts'
import { progressBar } from '../common/progress-bar.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { openFtp, splitRemote } from './ftp-open.ts'

interface GetOptions extends CommonOptions {
  output?: string
}

/**
 * ftpGetCommand: `netc ftp get <url> [-o <file>|-]`: RETR into a file (the remote name by default) or
 * stdout (`-o -`). A file is written through a temporary and renamed at the end: a failed download
 * leaves nothing behind (RFC 959 section 4.1.3).
 *
 * ```
 * $ netc ftp get ftp://ftp.example.com/dave/dave.txt -o -
 * ```
 */
export function ftpGetCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('get')
    .description('download a file (default: the remote name, in the current directory)')
    .argument('<url>', 'ftp://[user[:password]@]host[:port]/path/to/file')
    .option('-o, --output <file>', 'where to write it; - for stdout')
    .action(async (url: string, options: GetOptions) => {
      const { ftp, path } = await openFtp(url, options, stdin)
      await using _client = ftp
      const [directory, name] = splitRemote(path)
      if (name === '') throw usageError(`no file name in the URL's path "${path}"`)
      if (directory !== '') await step(`cannot cd to "${directory}"`, () => ftp.cd(directory))
      const output = options.output ?? basename(name)
      const bar = progressBar(name, options.json === true || output === '-')
      const downloadOptions = bar.onProgress === undefined ? {} : { onProgress: bar.onProgress }
      try {
        const destination = output === '-' ? stdoutWithoutEnd() : output
        const bytes = await step(`cannot read file "${name}"`, () => ftp.download(name, destination, downloadOptions))
        if (options.json === true && output !== '-') printJson({ remote: path, local: output, bytes })
      } finally {
        bar.stop()
      }
    })
  return addCommonOptions(command, 'netc ftp get ftp://dave:secret@ftp.example.com/dave/dave.txt -o dave.txt')
}

/** stdoutWithoutEnd: a Writable that passes bytes to stdout and leaves stdout open when it ends. */
function stdoutWithoutEnd(): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (process.stdout.write(chunk)) callback()
      else process.stdout.once('drain', () => callback())
    },
  })
}
