import { Command as CommanderCommand, InvalidArgumentError as CommanderArgumentError } from 'commander'
import type { OverviewEntry } from '@netc/nntp'
import { usageError } from '../common/cli-error.ts'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson, printTable } from '../common/output.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { openNntp } from './nntp-open.ts'

interface LsOptions extends CommonOptions {
  last?: number
}

/**
 * nntpLsCommand: `netc nntp ls <url>/<group> [--last <n>]`: GROUP, then OVER (RFC 3977 sections 6.1.1,
 * 8.3): each article's number, date, from and subject.
 *
 * ```
 * $ netc nntp ls nntp://news.example.org/comp.lang.python --last 2
 * 1203  Sat, 28 Nov 2026 10:00:00 +0000  dave@example.com  Re: asyncio
 * ```
 */
export function nntpLsCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('ls')
    .description("list a group's articles: number, date, from, subject")
    .argument('<url>', 'nntp://[user[:password]@]host[:port]/<group>')
    .option('--last <n>', 'only the last n articles', parseCount)
    .action(async (url: string, options: LsOptions) => {
      const { news, path } = await openNntp(url, options, stdin)
      await using _client = news
      const name = path.replace(/\/+$/, '')
      if (name === '') throw usageError('the URL names no group (nntp://host/<group>)')
      const group = await step(`cannot open group "${name}"`, () => news.group(name))
      const from = options.last === undefined ? group.first : Math.max(group.first, group.last - options.last + 1)
      const entries: OverviewEntry[] = []
      if (group.count > 0 && group.last >= from) {
        await step(`cannot read the overview of "${name}"`, async () => {
          for await (const entry of news.overview({ from, to: group.last })) entries.push(entry)
        })
      }
      const rows = entries.map(({ number, date, from: author, subject, messageId, bytes, lines }) => ({ number, date, from: author, subject, messageId, bytes, lines }))
      if (options.json === true) printJson(rows)
      else printTable(rows.map((row) => [String(row.number), row.date, row.from, row.subject]), ['right'])
    })
  return addCommonOptions(command, 'netc nntp ls nntp://news.example.org/comp.lang.python --last 20')
}

function parseCount(value: string): number {
  const count = Number(value)
  if (!Number.isInteger(count) || count < 1) throw new CommanderArgumentError('a positive whole number')
  return count
}
