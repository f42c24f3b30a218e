import { ProtocolError } from '@netc/transport'
import { decodeHeader } from './decode-header.ts'
import { defaultOverviewFormat, type OverviewField } from './parse-overview-format.ts'

/**
 * OverviewEntry: one line of an OVER or XOVER answer (RFC 3977 section 8.3). `subject` and `from` are
 * decoded (RFC 2047 encoded words); `fields` keeps every value as sent, keyed by lower-case name
 * (`subject`, `message-id`, `:bytes`, `xref`), as nntplib's `over()` did.
 */
export interface OverviewEntry {
  /** The article number (0 for OVER by message-id). */
  readonly number: number
  /** The Subject header, decoded. */
  readonly subject: string
  /** The From header, decoded. */
  readonly from: string
  /** The Date header, as sent. */
  readonly date: string
  /** The Message-ID header, as sent. */
  readonly messageId: string
  /** The References header, as sent (message-ids separated by spaces). */
  readonly references: string
  /** `:bytes`: the article's size in octets, when the server knew it. */
  readonly bytes: number | undefined
  /** `:lines`: the body's line count, when the server knew it. */
  readonly lines: number | undefined
  /** Every field as sent (full headers without their `Name: `), extra ones included. */
  readonly fields: Readonly<Record<string, string>>
}

/**
 * parseOverviewLine: one overview line, tab-separated, in the given field order (RFC 3977 section 8.3.2).
 *
 * ```
 * 3\tRe: hello\tEve <eve@example.org>\tSun, 29 Nov 2026 21:09:49 -0000\t<third@example.org>\t<first@example.org>\t539\t1\tXref: h misc.test:3
 * → { number: 3, subject: 'Re: hello', references: '<first@example.org>', bytes: 539, lines: 1, fields: { xref: 'h misc.test:3', ... } }
 * ```
 * Lenient where servers err: missing trailing fields are empty; extra trailing fields named
 * `Name: value` are kept; a tab inside the Subject (the fields then run one too far) is read back as a
 * space when the message-id, `:bytes` and `:lines` line up again after it. Throws ProtocolError when the
 * line does not start with an article number.
 */
export function parseOverviewLine(line: string, format: readonly OverviewField[] = defaultOverviewFormat): OverviewEntry {
  const [numberText = '', ...values] = line.split('\t')
  if (!/^\d{1,16}$/.test(numberText)) throw new ProtocolError(`malformed overview line: ${JSON.stringify(line.slice(0, 80))}`)
  const tokens = realign(values, format.length)
  const fields: Record<string, string> = {}
  format.forEach((field, index) => {
    fields[field.key] = valueOf(tokens[index] ?? '', field)
  })
  for (const extra of tokens.slice(format.length)) {
    const match = /^([^\s:]+):\s?(.*)$/s.exec(extra)
    if (match !== null) fields[(match[1] as string).toLowerCase()] ??= match[2] as string
  }
  return {
    number: Number(numberText),
    subject: decodeHeader(fields.subject ?? ''),
    from: decodeHeader(fields.from ?? ''),
    date: fields.date ?? '',
    messageId: fields['message-id'] ?? '',
    references: fields.references ?? '',
    bytes: numberOf(fields[':bytes']),
    lines: numberOf(fields[':lines']),
    fields,
  }
}

function valueOf(token: string, field: OverviewField): string {
  if (!field.full) return token
  const prefix = `${field.name}:`
  return token.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase() ? token.slice(prefix.length).trimStart() : token
}

function numberOf(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,16}$/.test(text.trim()) ? Number(text.trim()) : undefined
}

const aligned = (tokens: readonly string[]): boolean => {
  const [messageId = '', , bytes = '', lines = ''] = tokens.slice(3)
  return (messageId === '' || messageId.startsWith('<')) && /^\d*$/.test(bytes.trim()) && /^\d*$/.test(lines.trim())
}

/** A Subject with a tab in it pushes every later field one place on: join it back when that lines up. */
function realign(values: string[], width: number): string[] {
  if (values.length <= width || aligned(values)) return values
  for (let shift = 1; shift <= values.length - width; shift++) {
    const candidate = [values.slice(0, shift + 1).join(' '), ...values.slice(shift + 1)]
    if (aligned(candidate)) return candidate
  }
  return values
}
