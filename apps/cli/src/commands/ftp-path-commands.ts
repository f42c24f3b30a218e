import { Command as CommanderCommand } from 'commander'
import type { FtpClient } from '@netc/ftp'
import { usageError } from '../common/cli-error.ts'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson } from '../common/output.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { openFtp } from './ftp-open.ts'

interface PathOptions extends CommonOptions {
  recursive?: boolean
}

interface PathCommand {
  name: string
  description: string
  /** What failed, for the error line: `cannot make directory "x"`. */
  failure: (path: string) => string
  run: (ftp: FtpClient, path: string, options: PathOptions) => Promise<void>
  recursive?: string
  example: string
}

function pathCommand(stdin: StdinText, spec: PathCommand): CommanderCommand {
  const command = new CommanderCommand(spec.name).description(spec.description).argument('<url>', 'ftp://[user[:password]@]host[:port]/path')
  if (spec.recursive !== undefined) command.option('-r, --recursive', spec.recursive)
  command.action(async (url: string, options: PathOptions) => {
    const { ftp, path } = await openFtp(url, options, stdin)
    await using _client = ftp
    if (path === '') throw usageError('the URL names no path')
    await step(spec.failure(path), () => spec.run(ftp, path, options))
    if (options.json === true) printJson({ [spec.name]: path, ok: true })
  })
  return addCommonOptions(command, spec.example)
}

/**
 * ftpMkdirCommand: `netc ftp mkdir [-r] <url>`: MKD (RFC 959 section 4.1.3); `-r` makes the parents too, as `mkdir -p`.
 *
 * ```
 * $ netc ftp mkdir -r ftp://dave:secret@ftp.example.com/dave/2026/11
 * ```
 */
export function ftpMkdirCommand(stdin: StdinText): CommanderCommand {
  return pathCommand(stdin, {
    name: 'mkdir',
    description: 'make a directory (-r: with its parents)',
    failure: (path) => `cannot make directory "${path}"`,
    run: (ftp, path, options) => ftp.mkdir(path, { recursive: options.recursive === true }),
    recursive: 'make missing parents too (mkdir -p)',
    example: 'netc ftp mkdir -r ftp://dave:secret@ftp.example.com/dave/2026/11',
  })
}

/** ftpRmdirCommand: `netc ftp rmdir [-r] <url>`: RMD; `-r` removes what the directory holds first. */
export function ftpRmdirCommand(stdin: StdinText): CommanderCommand {
  return pathCommand(stdin, {
    name: 'rmdir',
    description: 'remove a directory (-r: with everything in it)',
    failure: (path) => `cannot remove directory "${path}"`,
    run: (ftp, path, options) => ftp.rmdir(path, { recursive: options.recursive === true }),
    recursive: 'remove the contents too',
    example: 'netc ftp rmdir -r ftp://dave:secret@ftp.example.com/dave/old',
  })
}

/** ftpRmCommand: `netc ftp rm <url>`: DELE (RFC 959 section 4.1.3). */
export function ftpRmCommand(stdin: StdinText): CommanderCommand {
  return pathCommand(stdin, {
    name: 'rm',
    description: 'remove a file',
    failure: (path) => `cannot remove file "${path}"`,
    run: (ftp, path) => ftp.remove(path),
    example: 'netc ftp rm ftp://dave:secret@ftp.example.com/dave/dave.txt',
  })
}

/**
 * ftpMvCommand: `netc ftp mv <url> <new-path>`: RNFR + RNTO (RFC 959 section 4.1.3); the new path is
 * relative to the login directory, as the URL's path is.
 *
 * ```
 * $ netc ftp mv ftp://dave:secret@ftp.example.com/dave/a.txt dave/b.txt
 * ```
 */
export function ftpMvCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('mv')
    .description('rename or move a file or directory')
    .argument('<url>', 'ftp://[user[:password]@]host[:port]/path')
    .argument('<new-path>', 'the new path on the same server')
    .action(async (url: string, newPath: string, options: CommonOptions) => {
      const { ftp, path } = await openFtp(url, options, stdin)
      await using _client = ftp
      if (path === '') throw usageError('the URL names no path')
      await step(`cannot rename "${path}" to "${newPath}"`, () => ftp.rename(path, newPath))
      if (options.json === true) printJson({ from: path, to: newPath, ok: true })
    })
  return addCommonOptions(command, 'netc ftp mv ftp://dave:secret@ftp.example.com/dave/a.txt dave/b.txt')
}
