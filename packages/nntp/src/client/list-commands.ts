import { Command, type ConnectionIo } from '@netc/transport'
import { assertWildmat, formatRange, type ArticleRange } from '../args/nntp-arguments.ts'
import {
  parseActiveLine,
  parseActiveTimesLine,
  parseCountsLine,
  parseDistribPatsLine,
  parseHeadersLine,
  parseNewsgroupsLine,
  type ActiveEntry,
  type ActiveTimesEntry,
  type CountsEntry,
  type DistribPatsEntry,
  type NewsgroupEntry,
} from '../parse/parse-list-lines.ts'
import { parseOverviewFormat, type OverviewField } from '../parse/parse-overview-format.ts'
import { exchange, readBlock } from './block-io.ts'

/** ListVariants: what `list(variant)` returns for each keyword netc parses (RFC 3977 section 7.6). */
export interface ListVariants {
  ACTIVE: ActiveEntry
  NEWSGROUPS: NewsgroupEntry
  'ACTIVE.TIMES': ActiveTimesEntry
  'DISTRIB.PATS': DistribPatsEntry
  'OVERVIEW.FMT': OverviewField
  HEADERS: string
  COUNTS: CountsEntry
}

/** ListVariant: a LIST keyword netc parses; any other keyword returns the raw lines. */
export type ListVariant = keyof ListVariants

const parsers: { [V in ListVariant]: (lines: string[]) => Array<ListVariants[V]> } = {
  ACTIVE: (lines) => lines.map(parseActiveLine),
  NEWSGROUPS: (lines) => lines.map(parseNewsgroupsLine),
  'ACTIVE.TIMES': (lines) => lines.map(parseActiveTimesLine),
  'DISTRIB.PATS': (lines) => lines.map(parseDistribPatsLine),
  'OVERVIEW.FMT': (lines) => parseOverviewFormat(lines),
  HEADERS: (lines) => lines.map(parseHeadersLine),
  COUNTS: (lines) => lines.map(parseCountsLine),
}

/** isListVariant: true for the keywords netc parses. */
export function isListVariant(keyword: string): keyword is ListVariant {
  return Object.hasOwn(parsers, keyword)
}

/** listCommand: `LIST ACTIVE misc.*`, `LIST HEADERS RANGE`; the keyword is checked as a wildmat is. */
export function listCommand(keyword: string, argument?: string): Command {
  const word = assertWildmat(keyword, 'LIST keyword').toUpperCase()
  return argument === undefined ? Command.of('LIST', word) : Command.of('LIST', word, assertWildmat(argument, 'LIST argument'))
}

/** readListLines: LIST `keyword` [argument] (RFC 3977 section 7.6), the raw lines of its `215` answer. */
export async function readListLines(io: ConnectionIo, keyword: string, argument?: string): Promise<string[]> {
  await exchange(io, listCommand(keyword, argument), 215, { block: true })
  return readBlock(io)
}

/**
 * readList: LIST with a parsed answer.
 *
 * ```
 * C: LIST ACTIVE misc.*
 * S: 215 Newsgroups in form "group high low status"
 * S: misc.test 0000000003 0000000001 y
 * S: .
 * → [{ name: 'misc.test', high: 3, low: 1, status: 'y' }]
 * ```
 */
export async function readList<V extends ListVariant>(io: ConnectionIo, variant: V, argument?: string): Promise<Array<ListVariants[V]>> {
  const lines = await readListLines(io, variant, argument)
  return parsers[variant](lines)
}

/** A range or message-id argument for OVER and HDR; undefined for the current article. */
export function rangeArgument(range: ArticleRange | string | undefined): string[] {
  if (range === undefined) return []
  return typeof range === 'string' ? [range] : [formatRange(range)]
}
