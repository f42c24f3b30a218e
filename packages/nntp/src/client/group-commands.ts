import { Command, type ConnectionIo } from '@netc/transport'
import { assertGroupName, formatRange, type ArticleRange } from '../args/nntp-arguments.ts'
import { parseGroupReply, type GroupInfo } from '../parse/parse-group-reply.ts'
import { exchange, readBlockLines, statusText } from './block-io.ts'
import { ProtocolError } from '@netc/transport'

/**
 * selectGroup: GROUP (RFC 3977 section 6.1.1). 411 throws NntpReplyError (`isNoSuchGroup`).
 *
 * ```
 * C: GROUP misc.test
 * S: 211 3 1 3 misc.test
 * ```
 */
export async function selectGroup(io: ConnectionIo, name: string): Promise<GroupInfo> {
  const reply = await exchange(io, Command.of('GROUP', assertGroupName(name)), 211)
  return parseGroupReply(statusText(reply))
}

/** ListGroupResult: LISTGROUP's answer: the group (now selected) and its article numbers. */
export interface ListGroupResult extends GroupInfo {
  readonly numbers: number[]
}

/**
 * listGroup: LISTGROUP (RFC 3977 section 6.1.2): selects the group (the current one when `name` is
 * undefined) and lists its article numbers, within `range` when given.
 *
 * ```
 * C: LISTGROUP misc.test 2-
 * S: 211 3 1 3 misc.test
 * S: 2
 * S: 3
 * S: .
 * ```
 */
export async function listGroup(io: ConnectionIo, name: string | undefined, range: ArticleRange | undefined): Promise<ListGroupResult> {
  const args = name === undefined ? [] : range === undefined ? [assertGroupName(name)] : [assertGroupName(name), formatRange(range)]
  const reply = await exchange(io, Command.of('LISTGROUP', ...args), 211, { block: true })
  const group = parseGroupReply(statusText(reply))
  const numbers: number[] = []
  for await (const line of readBlockLines(io)) {
    const text = line.trim()
    if (!/^\d{1,16}$/.test(text)) throw new ProtocolError(`malformed LISTGROUP line: ${JSON.stringify(text.slice(0, 80))}`)
    numbers.push(Number(text))
  }
  return { ...group, numbers }
}
