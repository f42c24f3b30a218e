import { Command as CommanderCommand } from 'commander'
import type { StdinText } from '../common/stdin-text.ts'
import { nntpGetCommand } from './nntp-get.ts'
import { nntpGroupsCommand } from './nntp-groups.ts'
import { nntpLsCommand } from './nntp-ls.ts'
import { nntpPostCommand } from './nntp-post.ts'

/**
 * nntpCommand: `netc nntp groups|ls|get|post`, over @netc/nntp (RFC 3977, 4642, 4643).
 *
 * ```
 * netc nntp ls nntp://news.example.org/comp.lang.python --last 20
 * ```
 */
export function nntpCommand(stdin: StdinText): CommanderCommand {
  return new CommanderCommand('nntp')
    .description('NNTP: groups, ls, get, post')
    .addCommand(nntpGroupsCommand(stdin))
    .addCommand(nntpLsCommand(stdin))
    .addCommand(nntpGetCommand(stdin))
    .addCommand(nntpPostCommand(stdin))
    .addHelpText('after', '\nExample:\n  netc nntp ls nntp://news.example.org/comp.lang.python --last 20\n')
}
