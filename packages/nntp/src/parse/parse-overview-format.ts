/**
 * OverviewField: one field of the overview database (RFC 3977 section 8.4): a header (`Subject`, `Xref`)
 * or a metadata item (`:bytes`, `:lines`). `full` headers are sent with their name (`Xref: host a.b:1`).
 */
export interface OverviewField {
  /** The header name as the server spells it (`Subject`, `Xref`), or the metadata item (`:bytes`). */
  readonly name: string
  /** The key used in `OverviewEntry.fields`: the name in lower case (`subject`, `:bytes`, `xref`). */
  readonly key: string
  /** True for `Header:full` fields, whose values arrive as `Header: value`. */
  readonly full: boolean
}

/** The seven fields every overview line begins with (RFC 3977 section 8.4.1), in order. */
export const defaultOverviewFormat: readonly OverviewField[] = Object.freeze(
  ['Subject', 'From', 'Date', 'Message-ID', 'References', ':bytes', ':lines'].map((name) => ({ name, key: name.toLowerCase(), full: false })),
)

/**
 * parseOverviewFormat: the fields of a LIST OVERVIEW.FMT answer, given its lines after the `215` status
 * line (RFC 3977 section 8.4). The first seven are always the RFC's, whatever their spelling (INN still
 * writes the RFC 2980 `Bytes:` and `Lines:`); later ones keep their own.
 *
 * ```
 * S: 215 Order of fields in overview database
 * S: Subject:                                      → { name: 'Subject', key: 'subject', full: false }
 * S: Bytes:                                        → { name: ':bytes', key: ':bytes', full: false }
 * S: Xref:full                                     → { name: 'Xref', key: 'xref', full: true }
 * S: .
 * ```
 * Lines that name nothing are skipped. Never throws.
 */
export function parseOverviewFormat(lines: readonly string[]): OverviewField[] {
  const fields: OverviewField[] = []
  for (const line of lines) {
    const field = parseField(line.trim())
    if (field === undefined) continue
    const standard = defaultOverviewFormat[fields.length]
    fields.push(standard ?? field)
  }
  for (let i = fields.length; i < defaultOverviewFormat.length; i++) fields.push(defaultOverviewFormat[i] as OverviewField)
  return fields
}

function parseField(text: string): OverviewField | undefined {
  if (text === '' || /\s/.test(text)) return undefined
  if (text.startsWith(':')) {
    const name = text.toLowerCase()
    return name.length > 1 ? { name, key: name, full: false } : undefined
  }
  const match = /^([^:]+):(full)?$/i.exec(text)
  if (match === null) return undefined
  const name = match[1] as string
  return { name, key: name.toLowerCase(), full: match[2] !== undefined }
}
