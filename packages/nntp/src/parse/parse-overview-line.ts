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
  return (startsWithStandardFields(format) ? parseWellFormed(line, 0, line.length, format) : undefined) ?? parseAnyLine(line, format)
}

/** The RFC's seven fields. */
const STANDARD_COUNT = 7
/** Formats of fewer fields than this take the fast path (`parseWellFormed`). */
export const MAX_FAST_FIELDS = 64
/** The tab positions after the RFC's seven fields, then the line's end (a scratch array: a line allocates none). */
const tabs = new Int32Array(MAX_FAST_FIELDS + 1)

/**
 * parseWellFormed: the overview line at `text[start, end)` (no line break in it) in the common case,
 * without an array of tokens or a string for the line: a format that starts with the RFC's seven
 * (`startsWithStandardFields`) of fewer than 64 fields, a number of up to 15 digits, and exactly one field
 * per format entry (RFC 3977 section 8.3.2). Undefined for anything else (missing or extra fields, a tab in
 * the Subject, a bad number), which `parseOverviewLine` then reads. No call per field: `overview()` runs
 * it for every line of 20,000-line answers, mostly before V8 has optimised it.
 *
 * ```
 * 3\tRe: hi\tEve <e@x>\tSun, 29 Nov 2026 21:09:49 -0000\t<c@x>\t<a@x>\t539\t1  → { number: 3, subject: 'Re: hi', ... }
 * ```
 */
export function parseWellFormed(text: string, start: number, end: number, format: readonly OverviewField[]): OverviewEntry | undefined {
  const width = format.length
  if (width >= MAX_FAST_FIELDS) return undefined
  let number = 0
  let t0 = start
  for (; t0 < end; t0++) {
    const code = text.charCodeAt(t0)
    if (code === 0x09) break
    if (code < 0x30 || code > 0x39) return undefined
    number = number * 10 + code - 0x30
  }
  if (t0 === start || t0 === end || t0 - start > 15) return undefined
  // The tabs before the RFC's seven in locals (no loop, no array), the ones after them in `tabs`.
  const t1 = text.indexOf('\t', t0 + 1)
  const t2 = t1 === -1 ? -1 : text.indexOf('\t', t1 + 1)
  const t3 = t2 === -1 ? -1 : text.indexOf('\t', t2 + 1)
  const t4 = t3 === -1 ? -1 : text.indexOf('\t', t3 + 1)
  const t5 = t4 === -1 ? -1 : text.indexOf('\t', t4 + 1)
  const t6 = t5 === -1 ? -1 : text.indexOf('\t', t5 + 1)
  if (t6 === -1 || t6 >= end) return undefined
  let at = t6
  for (let index = STANDARD_COUNT; index < width; index++) {
    at = text.indexOf('\t', at + 1)
    if (at === -1 || at >= end) return undefined
    tabs[index] = at
  }
  // Backwards from the end: only the last field is read again (forwards could run into the next line).
  if (text.lastIndexOf('\t', end - 1) !== at) return undefined
  tabs[width] = end
  const fields: Record<string, string> = {
    subject: text.slice(t0 + 1, t1),
    from: text.slice(t1 + 1, t2),
    date: text.slice(t2 + 1, t3),
    'message-id': text.slice(t3 + 1, t4),
    references: text.slice(t4 + 1, t5),
    ':bytes': text.slice(t5 + 1, t6),
    ':lines': text.slice(t6 + 1, width === STANDARD_COUNT ? end : tabs[STANDARD_COUNT]),
  }
  for (let index = STANDARD_COUNT; index < width; index++) {
    fields[(format[index] as OverviewField).key] = valueIn(text, (tabs[index] as number) + 1, tabs[index + 1] as number, format[index] as OverviewField)
  }
  return entryOf(number, fields)
}

/** parseAnyLine: any line, through an array of tokens, realigned when a Subject held a tab. */
function parseAnyLine(line: string, format: readonly OverviewField[]): OverviewEntry {
  const split = splitTabs(line)
  const numberText = split[0] as string
  if (!isArticleNumber(numberText)) throw new ProtocolError(`malformed overview line: ${JSON.stringify(line.slice(0, 80))}`)
  const tokens = realign(split, format.length)
  const standard = startsWithStandardFields(format)
  const fields = standard ? standardFields(tokens) : {}
  for (let index = standard ? STANDARD_COUNT : 0; index < format.length; index++) {
    const field = format[index] as OverviewField
    fields[field.key] = valueOf(tokens[index + 1] ?? '', field)
  }
  if (tokens.length > format.length + 1) extraFields(tokens, format.length + 1, fields)
  return entryOf(Number(numberText), fields)
}

/** entryOf: the entry for a line's number and fields, Subject and From decoded. */
function entryOf(number: number, fields: Record<string, string>): OverviewEntry {
  const subject = fields.subject ?? ''
  const from = fields.from ?? ''
  return {
    number,
    subject: subject.includes('=?') ? decodeHeader(subject) : subject,
    from: from.includes('=?') ? decodeHeader(from) : from,
    date: fields.date ?? '',
    messageId: fields['message-id'] ?? '',
    references: fields.references ?? '',
    bytes: numberOf(fields[':bytes']),
    lines: numberOf(fields[':lines']),
    fields,
  }
}

/**
 * The RFC's seven in one object literal (one hidden class for every line), not seven computed-key
 * stores: this runs once per line of 20,000-line answers.
 */
function standardFields(tokens: readonly string[]): Record<string, string> {
  return {
    subject: tokens[1] ?? '',
    from: tokens[2] ?? '',
    date: tokens[3] ?? '',
    'message-id': tokens[4] ?? '',
    references: tokens[5] ?? '',
    ':bytes': tokens[6] ?? '',
    ':lines': tokens[7] ?? '',
  }
}

/** The trailing fields the format does not name, kept when they read `Name: value`. */
function extraFields(tokens: readonly string[], start: number, fields: Record<string, string>): void {
  for (let index = start; index < tokens.length; index++) {
    const match = EXTRA_FIELD.exec(tokens[index] as string)
    if (match !== null) fields[(match[1] as string).toLowerCase()] ??= match[2] as string
  }
}

/**
 * startsWithStandardFields: whether `format` begins with the RFC's seven fields (RFC 3977 section 8.4.1) as
 * `parseOverviewFormat` gives them (the same objects), which `parseWellFormed` requires.
 *
 * ```
 * Subject: From: Date: Message-ID: References: Bytes: Lines: Xref:full  → true
 * ```
 */
export function startsWithStandardFields(format: readonly OverviewField[]): boolean {
  if (format === defaultOverviewFormat) return true
  if (format.length < STANDARD_COUNT) return false
  for (let index = 0; index < STANDARD_COUNT; index++) if (format[index] !== defaultOverviewFormat[index]) return false
  return true
}

const EXTRA_FIELD = /^([^\s:]+):\s?(.*)$/s

/** The line cut at its tabs: an indexOf loop, about twice as fast as `split('\t')` on overview lines. */
function splitTabs(line: string): string[] {
  const tokens: string[] = []
  let start = 0
  for (;;) {
    const tab = line.indexOf('\t', start)
    if (tab === -1) break
    tokens.push(line.slice(start, tab))
    start = tab + 1
  }
  tokens.push(line.slice(start))
  return tokens
}

/** 1 to 16 ASCII digits (`/^\d{1,16}$/` without the regular expression). */
function isArticleNumber(text: string): boolean {
  const length = text.length
  if (length === 0 || length > 16) return false
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x30 || code > 0x39) return false
  }
  return true
}

/** A full field's value without its `Name:` (any case), or the token as sent. */
function valueOf(token: string, field: OverviewField): string {
  return field.full ? valueIn(token, 0, token.length, field) : token
}

/**
 * valueIn: `valueOf` the text in `text[from, to)`, cut out once: `Xref: h misc:1` is sliced after its
 * space, not sliced, then sliced again and trimmed.
 */
function valueIn(text: string, from: number, to: number, field: OverviewField): string {
  if (!field.full) return text.slice(from, to)
  const length = field.name.length
  const colon = from + length
  if (colon >= to || text.charCodeAt(colon) !== 0x3a) return text.slice(from, to)
  if (!text.startsWith(field.name, from) && text.slice(from, colon).toLowerCase() !== field.name.toLowerCase()) return text.slice(from, to)
  const first = text.charCodeAt(colon + 1)
  // trimStart only when there is something it could trim (ASCII controls and space, or any non-ASCII).
  if (colon + 1 === to || (first > 0x20 && first <= 0x7e)) return text.slice(colon + 1, to)
  const second = text.charCodeAt(colon + 2)
  if (first === 0x20 && colon + 2 < to && second > 0x20 && second <= 0x7e) return text.slice(colon + 2, to)
  return text.slice(colon + 1, to).trimStart()
}

/** The digits of `:bytes` or `:lines` (spaces around them allowed), or undefined. */
function numberOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const length = text.length
  if (length > 0 && length <= 15) {
    // Up to 15 digits add up exactly, as Number(text) would read them.
    let value = 0
    let at = 0
    for (; at < length; at++) {
      const code = text.charCodeAt(at)
      if (code < 0x30 || code > 0x39) break
      value = value * 10 + code - 0x30
    }
    if (at === length) return value
  }
  if (isArticleNumber(text)) return Number(text)
  const trimmed = text.trim()
  return trimmed !== text && isArticleNumber(trimmed) ? Number(trimmed) : undefined
}

/** Whether the fields after the number (`tokens[1]` on) have the message-id, `:bytes` and `:lines` in place. */
const aligned = (tokens: readonly string[]): boolean => {
  const messageId = tokens[4] ?? ''
  return (messageId === '' || messageId.startsWith('<')) && /^\d*$/.test((tokens[6] ?? '').trim()) && /^\d*$/.test((tokens[7] ?? '').trim())
}

/**
 * A Subject with a tab in it pushes every later field one place on: join it back when that lines up.
 * `tokens` is the whole line split at tabs, the article number first.
 */
function realign(tokens: string[], width: number): string[] {
  if (tokens.length <= width + 1 || aligned(tokens)) return tokens
  for (let shift = 1; shift <= tokens.length - 1 - width; shift++) {
    const candidate = [tokens[0] as string, tokens.slice(1, shift + 2).join(' '), ...tokens.slice(shift + 2)]
    if (aligned(candidate)) return candidate
  }
  return tokens
}
