import { Command as CommanderCommand } from 'commander'
import type { ActiveEntry } from '@netc/nntp'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson, printTable } from '../common/output.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { openNntp } from './nntp-open.ts'

/**
 * nntpGroupsCommand: `netc nntp groups <url> [<wildmat>]`: LIST ACTIVE (RFC 3977 section 7.6.3): each
 * group's name, article count (high - low + 1) and posting status (`y`, `n`, `m`).
 *
 * ```
 * $ netc nntp groups nntp://news.example.org 'comp.lang.*'
 * comp.lang.python  1204  y
 * ```
 */
export function nntpGroupsCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('groups')
    .description('list groups: name, count, posting status')
    .argument('<url>', 'nntp://[user[:password]@]host[:port] or nntps://...')
    .argument('[wildmat]', "only groups matching this pattern, e.g. 'comp.lang.*'")
    .action(async (url: string, wildmat: string | undefined, options: CommonOptions) => {
      const { news } = await openNntp(url, options, stdin)
      await using _client = news
      const groups = (await step('cannot list the groups', () => news.list('ACTIVE', wildmat))).map(toRow)
      if (options.json === true) printJson(groups)
      else printTable(groups.map((group) => [group.name, String(group.count), group.status]), ['left', 'right'])
    })
  return addCommonOptions(command, "netc nntp groups nntp://news.example.org 'comp.lang.*' --json")
}

function toRow(entry: ActiveEntry): { name: string; count: number; status: string; low: number; high: number } {
  return { name: entry.name, count: entry.high >= entry.low ? entry.high - entry.low + 1 : 0, status: entry.status, low: entry.low, high: entry.high }
}
