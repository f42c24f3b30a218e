import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Command as CommanderCommand } from 'commander'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { usageError } from '../common/cli-error.ts'
import { printJson } from '../common/output.ts'
import { progressBar } from '../common/progress-bar.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { reasonOf, step } from '../common/step.ts'
import { openFtp, splitRemote } from './ftp-open.ts'

/**
 * ftpPutCommand: `netc ftp put <file> <url>`: STOR a local file (RFC 959 section 4.1.3). A URL path that
 * ends in `/` (or is empty) is a directory: the file keeps its name there.
 *
 * ```
 * $ netc ftp put report.pdf ftp://dave:secret@ftp.example.com/dave/
 * ```
 */
export function ftpPutCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('put')
    .description('upload a file')
    .argument('<file>', 'the local file')
    .argument('<url>', 'ftp://[user[:password]@]host[:port]/path[/] (a trailing / keeps the local name)')
    .action(async (file: string, url: string, options: CommonOptions) => {
      const size = await localSize(file)
      const { ftp, path } = await openFtp(url, options, stdin)
      await using _client = ftp
      const [directory, remoteName] = path === '' || path.endsWith('/') ? [path.replace(/\/$/, ''), basename(file)] : splitRemote(path)
      if (directory !== '') await step(`cannot cd to "${directory}"`, () => ftp.cd(directory))
      const bar = progressBar(remoteName, options.json === true)
      try {
        const bytes = await step(`cannot write file "${remoteName}"`, () =>
          ftp.upload(file, remoteName, bar.onProgress === undefined ? {} : { onProgress: bar.onProgress }),
        )
        if (options.json === true) printJson({ local: file, remote: directory === '' ? remoteName : `${directory}/${remoteName}`, bytes, size })
      } finally {
        bar.stop()
      }
    })
  return addCommonOptions(command, 'netc ftp put ./dave.txt ftp://dave:secret@ftp.example.com/dave/')
}

async function localSize(file: string): Promise<number> {
  try {
    const info = await stat(file)
    if (!info.isFile()) throw usageError(`"${file}" is not a file`)
    return info.size
  } catch (error) {
    if (error instanceof Error && error.name === 'CliError') throw error
    throw usageError(`cannot read local file "${file}": ${reasonOf(error)}`)
  }
}
