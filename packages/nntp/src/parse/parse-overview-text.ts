import type { OverviewField } from './parse-overview-format.ts'
import { MAX_FAST_FIELDS, parseOverviewLine, parseWellFormed, startsWithStandardFields, type OverviewEntry } from './parse-overview-line.ts'

/**
 * parseOverviewText: the overview lines in `text` (RFC 3977 section 8.3.2), separated by LF, each perhaps
 * ending in CR (a `LineSplitter.pushText` string), parsed into `out` as `parseOverviewLine` parses each
 * line, in order. Well-formed lines are read in place (`parseWellFormed`), without a string or an array
 * entry per line; any other line is cut out and given to `parseOverviewLine`. Throws ProtocolError for a
 * line that does not start with an article number (the entries before it are in `out`).
 *
 * ```
 * parseOverviewText('1\tHi\tEve <e@x>\td\t<a@x>\t\t10\t1\r\n2\tRe: Hi\t...', format, out)  // out: [{ number: 1, ... }, { number: 2, ... }]
 * ```
 */
export function parseOverviewText(text: string, format: readonly OverviewField[], out: OverviewEntry[]): void {
  const fast = format.length < MAX_FAST_FIELDS && startsWithStandardFields(format)
  let start = 0
  for (;;) {
    const newline = text.indexOf('\n', start)
    const next = newline === -1 ? text.length : newline
    const end = next > start && text.charCodeAt(next - 1) === 0x0d ? next - 1 : next
    out.push((fast ? parseWellFormed(text, start, end, format) : undefined) ?? parseOverviewLine(text.slice(start, end), format))
    if (newline === -1) return
    start = newline + 1
  }
}
