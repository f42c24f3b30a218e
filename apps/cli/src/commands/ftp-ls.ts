import { Command as CommanderCommand } from 'commander'
import type { FileInfo } from '@netc/ftp'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson, printTable } from '../common/output.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { paint } from '../common/terminal.ts'
import { openFtp } from './ftp-open.ts'

/**
 * ftpLsCommand: `netc ftp ls <url>`: the directory of the URL's path, one entry a line: type, size, date,
 * name (MLSD when offered, LIST otherwise; RFC 3659 section 7, RFC 959 section 4.1.3).
 *
 * ```
 * $ netc ftp ls ftp://ftp.example.com/pub
 * d     4096  2026-11-29 10:04  dave
 * -      120  2026-11-29 10:05  dave.txt
 * ```
 */
export function ftpLsCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('ls')
    .description('list a directory (type, size, date, name)')
    .argument('<url>', 'ftp://[user[:password]@]host[:port]/[path]')
    .action(async (url: string, options: CommonOptions) => {
      const { ftp, path } = await openFtp(url, options, stdin)
      await using _client = ftp
      if (path !== '') await step(`cannot cd to "${path}"`, () => ftp.cd(path))
      const entries = await step(`cannot list "${path || '.'}"`, () => ftp.list())
      if (options.json === true) printJson(entries.map(toJson))
      else printTable(entries.map(toRow), ['left', 'right', 'left', 'left'])
    })
  return addCommonOptions(command, 'netc ftp ls ftp://anonymous@ftp.example.com/pub --json')
}

const typeLetter: Readonly<Record<string, string>> = { file: '-', directory: 'd', symlink: 'l' }

function toRow(entry: FileInfo): string[] {
  const name = entry.type === 'directory' ? paint(process.stdout, 'blue', entry.name) : entry.name
  const date = entry.modifiedAt?.toISOString().slice(0, 16).replace('T', ' ') ?? ''
  return [typeLetter[entry.type] ?? '?', entry.size?.toString() ?? '', date, entry.target === undefined ? name : `${name} -> ${entry.target}`]
}

function toJson(entry: FileInfo): Record<string, unknown> {
  return {
    name: entry.name,
    type: entry.type,
    size: entry.size ?? null,
    modifiedAt: entry.modifiedAt?.toISOString() ?? null,
    permissions: entry.permissions ?? null,
    target: entry.target ?? null,
  }
}
