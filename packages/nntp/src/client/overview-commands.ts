import { Command, type ConnectionIo } from '@netc/transport'
import { assertHeaderName, assertMessageId, type ArticleRange } from '../args/nntp-arguments.ts'
import { defaultOverviewFormat, parseOverviewFormat, type OverviewField } from '../parse/parse-overview-format.ts'
import type { OverviewEntry } from '../parse/parse-overview-line.ts'
import { parseOverviewText } from '../parse/parse-overview-text.ts'
import { parseHdrLine, type HdrEntry } from '../parse/parse-hdr-line.ts'
import { readBlock, readBlockBatches, readBlockTexts } from './block-io.ts'
import { rangeArgument } from './list-commands.ts'

/** What a server is known to understand, learnt from 500 replies: OVER or XOVER, HDR or XHDR. */
export interface CommandDialect {
  over: 'OVER' | 'XOVER'
  hdr: 'HDR' | 'XHDR'
}

/** selector: the argument of OVER or HDR: a range, a message-id (checked) or nothing (the current article). */
export function selector(range: ArticleRange | string | undefined): string[] {
  if (typeof range === 'string') assertMessageId(range)
  return rangeArgument(range)
}

/** OverviewFormatCache: the overview fields once LIST OVERVIEW.FMT has been answered (asked once per client). */
export interface OverviewFormatCache {
  fields: readonly OverviewField[] | undefined
}

/** LIST OVERVIEW.FMT (RFC 3977 section 8.4): asked once per client, pipelined with the first OVER. */
export const LIST_OVERVIEW_FMT = Command.of('LIST', 'OVERVIEW.FMT')

/**
 * readOverviewFormat: the answer to LIST OVERVIEW.FMT (RFC 3977 section 8.4), already sent: the server's
 * fields after a `215`, the RFC's seven after a refusal.
 *
 * ```
 * C: LIST OVERVIEW.FMT
 * S: 215 Order of fields in overview database
 * S: Subject:  ...  Xref:full
 * S: .
 * ```
 */
export async function readOverviewFormat(io: ConnectionIo): Promise<readonly OverviewField[]> {
  const reply = await io.readCodedReply()
  return reply.code === 215 ? parseOverviewFormat(await readBlock(io)) : defaultOverviewFormat
}

/**
 * readOverviewBatches: the overview lines after a `224`, parsed with the server's format, in batches of
 * the lines each received chunk completes (see `readBlockTexts`), each read in place (`parseOverviewText`).
 */
export async function* readOverviewBatches(io: ConnectionIo, format: readonly OverviewField[]): AsyncGenerator<OverviewEntry[], void, undefined> {
  for await (const text of readBlockTexts(io)) {
    const entries: OverviewEntry[] = []
    parseOverviewText(text, format, entries)
    yield entries
  }
}

/**
 * startHdr: HDR (RFC 3977 section 8.5), or XHDR (RFC 2980 section 2.6) after a `500` to HDR. Resolves
 * once the `225` (HDR) or `221` (XHDR) is read.
 *
 * ```
 * C: HDR Subject 1-3
 * S: 225 Headers follow
 * ```
 */
export async function startHdr(io: ConnectionIo, dialect: CommandDialect, field: string, range: ArticleRange | string | undefined): Promise<void> {
  const args = [assertHeaderName(field), ...selector(range)]
  for (;;) {
    const command = Command.of(dialect.hdr, ...args)
    await io.send(command)
    const reply = await io.readCodedReply()
    if (reply.code === 500 && dialect.hdr === 'HDR') {
      dialect.hdr = 'XHDR'
      continue
    }
    io.expect(reply, dialect.hdr === 'HDR' ? 225 : 221, command)
    return
  }
}

/** readHdrBatches: the HDR lines after its status, parsed, in batches (see `readBlockBatches`). */
export async function* readHdrBatches(io: ConnectionIo): AsyncGenerator<HdrEntry[], void, undefined> {
  for await (const lines of readBlockBatches(io)) yield lines.map(parseHdrLine)
}
