import { Command, type CodedReply, type ConnectionIo } from '@netc/transport'
import { formatRange, type ArticleRange } from '../args/nntp-arguments.ts'
import { defaultOverviewFormat } from '../parse/parse-overview-format.ts'
import type { OverviewEntry } from '../parse/parse-overview-line.ts'
import { readBlockTexts } from './block-io.ts'
import { LIST_OVERVIEW_FMT, readOverviewBatches, readOverviewFormat, selector, type CommandDialect, type OverviewFormatCache } from './overview-commands.ts'
import type { Pipe } from './pipe.ts'

/**
 * A range longer than this many numbers is asked for in parts, and later parts are no shorter. INN 2.7
 * builds a whole OVER answer in memory before it writes a byte of it (about 7 µs an article on the bench
 * machine) and spends more per article on one huge answer than on parts of 2,000: the 20,000-article
 * bench case, raw, takes 220 ms in one OVER and 140 ms in ten.
 */
const PART_SIZE = 2_000
/**
 * The first part of a long range is short: its answer is there after a few milliseconds, so that our
 * parsing starts while INN builds the next part, and so does LIST OVERVIEW.FMT's field list, which INN
 * writes apart from its `215` and which its Nagle holds back until more of its output follows.
 */
const FIRST_PART = 500
/** The most parts a range is cut into. */
const MAX_PARTS = 16
/** The parts asked for ahead of the one being read (the first write holds the first part and these). */
const PARTS_AHEAD = 3

/**
 * overviewParts: the ranges `overview()` asks for. A closed range of more than 2,000 numbers becomes a
 * first part of 500, then up to 15 parts of at least 2,000. An open range (`from-`) is cut the same way up
 * to `knownLast` (the last number GROUP gave), with `knownLast + 1-` as its last part, so that whatever
 * arrived since is still answered. Anything else stays whole. Throws InvalidArgumentError for bad numbers.
 *
 * ```
 * { from: 1, to: 5000 }       → 1-500, 501-2500, 2501-4500, 4501-5000
 * { from: 1 }, knownLast 3000 → 1-500, 501-2500, 2501-3000, 3001-
 * ```
 */
export function overviewParts(range: ArticleRange | string | undefined, knownLast?: number): Array<ArticleRange | string | undefined> {
  if (range === undefined || typeof range !== 'object') return [range]
  formatRange(range)
  const open = range.to === undefined
  const to = range.to ?? knownLast
  if (to === undefined || !Number.isSafeInteger(to) || to - range.from + 1 <= PART_SIZE) return [range]
  const parts: ArticleRange[] = [{ from: range.from, to: range.from + FIRST_PART - 1 }]
  const size = Math.max(PART_SIZE, Math.ceil((to - range.from + 1 - FIRST_PART) / (MAX_PARTS - 1)))
  for (let from = range.from + FIRST_PART; from <= to; from += size) parts.push({ from, to: Math.min(to, from + size - 1) })
  if (open) parts.push({ from: to + 1 })
  return parts
}

/**
 * streamOverview: the overview of a range into `pipe` (RFC 3977 section 8.3). A long range goes out as
 * pipelined OVER commands over its parts (see `overviewParts`), the first few in one write (with LIST
 * OVERVIEW.FMT ahead of them while the format is not known, RFC 3977 section 3.5), then one more each
 * time a part's answer begins, so that INN always has the next part to build while we parse. A part
 * without articles (`423`) is skipped; the range's `423` is thrown only when every part had none. Any
 * other refusal, or leaving early, reads the answers still expected before returning or throwing, so the
 * connection stays in step. A `500` to the first OVER switches the client to XOVER (RFC 2980 section
 * 2.8) and asks again.
 *
 * ```
 * C: LIST OVERVIEW.FMT / OVER 1-500 / OVER 501-2500 / OVER 2501-4500 / OVER 4501-6500
 * S: 215 ... .   S: 224 ...  1 ... 500 .      C: OVER 6501-8500
 * S: 224 ...  501 ... 2500 .                   C: OVER 8501-10000
 * ```
 */
export async function streamOverview(
  io: ConnectionIo,
  dialect: CommandDialect,
  range: ArticleRange | string | undefined,
  format: OverviewFormatCache,
  pipe: Pipe<OverviewEntry>,
  knownLast?: number,
): Promise<void> {
  const parts = overviewParts(range, knownLast)
  while ((await readParts(io, dialect, parts, format, pipe)) === 'retry') dialect.over = 'XOVER'
}

/** readParts: one pass over the parts; 'retry' after a `500` to the first OVER (the server wants XOVER). */
async function readParts(
  io: ConnectionIo,
  dialect: CommandDialect,
  parts: ReadonlyArray<ArticleRange | string | undefined>,
  format: OverviewFormatCache,
  pipe: Pipe<OverviewEntry>,
): Promise<'done' | 'retry'> {
  const commands = parts.map((part) => Command.of(dialect.over, ...selector(part)))
  const askFormat = format.fields === undefined
  let sent = Math.min(commands.length, 1 + PARTS_AHEAD)
  await io.send(askFormat ? [LIST_OVERVIEW_FMT, ...commands.slice(0, sent)] : commands.slice(0, sent))
  if (askFormat) format.fields = await readOverviewFormat(io)
  let empty: { reply: CodedReply; command: Command } | undefined
  let found = false
  for (let part = 0; part < commands.length; part++) {
    const command = commands[part] as Command
    const reply = await io.readCodedReply()
    if (reply.code === 500 && part === 0 && dialect.over === 'OVER') {
      await drain(io, sent - 1)
      return 'retry'
    }
    if (reply.code === 423 && commands.length > 1) {
      // No articles in this part (RFC 3977 section 8.3.2): the others may have some.
      empty ??= { reply, command }
      sent = await sendAhead(io, commands, sent, part)
      continue
    }
    if (reply.code !== 224) {
      await drain(io, sent - part - 1)
      io.expect(reply, 224, command)
    }
    sent = await sendAhead(io, commands, sent, part)
    found = true
    for await (const entries of readOverviewBatches(io, format.fields ?? defaultOverviewFormat)) {
      // Leaving the loop drains this block; the answers still expected follow it.
      if (!(await pipe.pushAll(entries))) {
        await drain(io, sent - part - 1)
        return 'done'
      }
    }
  }
  if (!found && empty !== undefined) io.expect(empty.reply, 224, empty.command)
  return 'done'
}

/** sendAhead: sends the commands up to PARTS_AHEAD beyond `reading`, in one write; returns how many are sent. */
async function sendAhead(io: ConnectionIo, commands: readonly Command[], sent: number, reading: number): Promise<number> {
  const until = Math.min(commands.length, reading + 1 + PARTS_AHEAD)
  if (sent >= until) return sent
  await io.send(commands.slice(sent, until))
  return until
}

/** drain: reads the answers to `count` OVER commands still in flight, and their blocks. */
async function drain(io: ConnectionIo, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const reply = await io.readCodedReply()
    if (reply.code === 224) for await (const text of readBlockTexts(io)) void text
  }
}
