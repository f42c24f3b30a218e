/**
 * printJson: one JSON document on stdout (`--json`), two-space indented, dates as ISO strings.
 *
 * ```
 * netc pop3 ls pop3://dave:secret@pop.example.com --json   // [{ "number": 1, "size": 1204, "uid": "..." }]
 * ```
 */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** printTable: rows as aligned columns on stdout; the last column is never padded. */
export function printTable(rows: ReadonlyArray<readonly string[]>, align: ReadonlyArray<'left' | 'right'> = []): void {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)))
  const lines = rows.map((row) =>
    row
      .map((cell, index) => {
        if (index === row.length - 1) return cell
        const width = widths[index] ?? 0
        return align[index] === 'right' ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  '),
  )
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
}

/** printLine: one line on stdout. */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`)
}
