import { Command, type ConnectionIo } from '@netc/transport'
import { formatRange, type ArticleRange } from '../args/nntp-arguments.ts'
import { NntpReplyError } from '../nntp-reply-error.ts'
import { defaultOverviewFormat } from '../parse/parse-overview-format.ts'
import type { OverviewEntry } from '../parse/parse-overview-line.ts'
import { readBlockBatches } from './block-io.ts'
import { readOverviewBatches, startOverview, type CommandDialect, type OverviewFormatCache } from './overview-commands.ts'
import type { Pipe } from './pipe.ts'

/** A range longer than this many numbers is asked for in parts; no part is shorter. */
const PART_SIZE = 2_000
/** The most parts a range is cut into. */
const MAX_PARTS = 16
/** The parts asked for ahead of the one being read. */
const PARTS_AHEAD = 3

/**
 * overviewParts: the ranges `overview()` asks for: a closed range of more than 2,000 numbers becomes up
 * to 16 consecutive parts of at least 2,000; anything else stays whole. Throws InvalidArgumentError for
 * bad numbers.
 *
 * ```
 * { from: 1, to: 5000 } → { from: 1, to: 2000 }, { from: 2001, to: 4000 }, { from: 4001, to: 5000 }
 * ```
 */
export function overviewParts(range: ArticleRange | string | undefined): Array<ArticleRange | string | undefined> {
  if (range === undefined || typeof range !== 'object' || range.to === undefined) return [range]
  formatRange(range)
  const count = range.to - range.from + 1
  if (count <= PART_SIZE) return [range]
  const size = Math.max(PART_SIZE, Math.ceil(count / MAX_PARTS))
  const parts: ArticleRange[] = []
  for (let from = range.from; from <= range.to; from += size) parts.push({ from, to: Math.min(range.to, from + size - 1) })
  return parts
}

/**
 * streamOverview: the overview of a range into `pipe` (RFC 3977 section 8.3). A long range goes out as
 * pipelined OVER commands over its parts (see `overviewParts`), a few ahead of the one being read: INN
 * builds a whole answer in memory before it sends a byte of it (about 10 µs an article), so while we
 * parse one part it builds the next. A part without articles (`423`) is skipped; the range's `423` is
 * thrown only when every part had none. Leaving early, or another refusal, reads the answers still
 * expected before returning or throwing, so the connection stays in step.
 *
 * ```
 * C: OVER 1-2000
 * S: 224 Overview information follows      C: OVER 2001-4000 / OVER 4001-6000 / OVER 6001-8000
 * S: 1 ... .                                S: 224 ...
 * ```
 */
export async function streamOverview(
  io: ConnectionIo,
  dialect: CommandDialect,
  range: ArticleRange | string | undefined,
  format: OverviewFormatCache,
  pipe: Pipe<OverviewEntry>,
): Promise<void> {
  const parts = overviewParts(range)
  let sent = 1
  let empty: NntpReplyError | undefined
  let found = false
  for (let part = 0; part < parts.length; part++) {
    try {
      if (part === 0) await startOverview(io, dialect, parts[0], format)
      else io.expect(await io.readCodedReply(), 224, overCommand(dialect, parts[part]))
    } catch (error) {
      if (parts.length === 1 || !isEmptyRange(error)) {
        await drain(io, sent - part - 1)
        throw error
      }
      empty ??= error
      sent = await sendAhead(io, dialect, parts, sent, part)
      continue
    }
    sent = await sendAhead(io, dialect, parts, sent, part)
    found = true
    let more = true
    for await (const entries of readOverviewBatches(io, format.fields ?? defaultOverviewFormat)) {
      if (!(await pipe.pushAll(entries))) {
        more = false
        break
      }
    }
    // Leaving the loop has drained this block; the answers still expected follow it.
    if (!more) return drain(io, sent - part - 1)
  }
  if (!found && empty !== undefined) throw empty
}

function overCommand(dialect: CommandDialect, part: ArticleRange | string | undefined): Command {
  return Command.of(dialect.over, ...(part === undefined ? [] : [typeof part === 'string' ? part : formatRange(part)]))
}

function isEmptyRange(error: unknown): error is NntpReplyError {
  return NntpReplyError.isInstance(error) && error.replyCode === 423
}

/** sendAhead: sends the parts up to PARTS_AHEAD beyond `reading`, in one write; returns how many are sent. */
async function sendAhead(io: ConnectionIo, dialect: CommandDialect, parts: ReadonlyArray<ArticleRange | string | undefined>, sent: number, reading: number): Promise<number> {
  const until = Math.min(parts.length, reading + 1 + PARTS_AHEAD)
  if (sent >= until) return sent
  await io.send(parts.slice(sent, until).map((part) => overCommand(dialect, part)))
  return until
}

/** drain: reads the answers to `count` OVER commands still in flight, and their blocks. */
async function drain(io: ConnectionIo, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const reply = await io.readCodedReply()
    if (reply.code === 224) for await (const lines of readBlockBatches(io)) void lines
  }
}
