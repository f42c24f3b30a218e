import { ProtocolError } from '@netc/transport'

/** ActiveEntry: one line of LIST ACTIVE (RFC 3977 section 7.6.3): a group, its marks and its status. */
export interface ActiveEntry {
  readonly name: string
  /** The reported high water mark. */
  readonly high: number
  /** The reported low water mark. */
  readonly low: number
  /** `y` posting allowed, `n` not, `m` moderated; INN also sends `j`, `x` and `=other.group`. */
  readonly status: string
}

/** NewsgroupEntry: one line of LIST NEWSGROUPS (RFC 3977 section 7.6.6). */
export interface NewsgroupEntry {
  readonly name: string
  readonly description: string
}

/** ActiveTimesEntry: one line of LIST ACTIVE.TIMES (RFC 3977 section 7.6.4). */
export interface ActiveTimesEntry {
  readonly name: string
  /** When the group was created. */
  readonly created: Date
  /** Who created it (an address, or a name). */
  readonly creator: string
}

/** DistribPatsEntry: one line of LIST DISTRIB.PATS (RFC 3977 section 7.6.5). */
export interface DistribPatsEntry {
  readonly weight: number
  readonly wildmat: string
  readonly distribution: string
}

/** CountsEntry: one line of INN's LIST COUNTS: LIST ACTIVE with the estimated article count. */
export interface CountsEntry extends ActiveEntry {
  readonly count: number
}

const malformed = (what: string, line: string): ProtocolError =>
  new ProtocolError(`malformed ${what} line: ${JSON.stringify(line.slice(0, 80))}`)

/**
 * parseActiveLine: `misc.test 0000000003 0000000001 y` → `{ name: 'misc.test', high: 3, low: 1, status: 'y' }`.
 * RFC 3977 section 7.6.3. Throws ProtocolError otherwise.
 */
export function parseActiveLine(line: string): ActiveEntry {
  const match = /^(\S+)\s+(\d{1,16})\s+(\d{1,16})\s+(\S+)\s*$/.exec(line)
  if (match === null) throw malformed('LIST ACTIVE', line)
  return { name: match[1] as string, high: Number(match[2]), low: Number(match[3]), status: match[4] as string }
}

/** parseCountsLine: INN's `misc.test 3 1 3 y` (group high low count status). Throws ProtocolError otherwise. */
export function parseCountsLine(line: string): CountsEntry {
  const match = /^(\S+)\s+(\d{1,16})\s+(\d{1,16})\s+(\d{1,16})\s+(\S+)\s*$/.exec(line)
  if (match === null) throw malformed('LIST COUNTS', line)
  return { name: match[1] as string, high: Number(match[2]), low: Number(match[3]), count: Number(match[4]), status: match[5] as string }
}

/**
 * parseNewsgroupsLine: `misc.test\tFor testing.` → `{ name: 'misc.test', description: 'For testing.' }`
 * (tab or spaces between; the description may be empty). RFC 3977 section 7.6.6.
 */
export function parseNewsgroupsLine(line: string): NewsgroupEntry {
  const match = /^(\S+)(?:[ \t]+(.*))?$/s.exec(line)
  if (match === null) throw malformed('LIST NEWSGROUPS', line)
  return { name: match[1] as string, description: (match[2] ?? '').trim() }
}

/**
 * parseActiveTimesLine: `misc.test 930445408 <creatme@isc.org>` → `{ name, created: Date, creator }`
 * (seconds since 1970). RFC 3977 section 7.6.4.
 */
export function parseActiveTimesLine(line: string): ActiveTimesEntry {
  const match = /^(\S+)\s+(\d{1,12})(?:\s+(.*))?$/.exec(line)
  if (match === null) throw malformed('LIST ACTIVE.TIMES', line)
  return { name: match[1] as string, created: new Date(Number(match[2]) * 1000), creator: (match[3] ?? '').trim() }
}

/** parseDistribPatsLine: `10:local.*:local` → `{ weight: 10, wildmat: 'local.*', distribution: 'local' }`. RFC 3977 section 7.6.5. */
export function parseDistribPatsLine(line: string): DistribPatsEntry {
  const match = /^\s*(\d{1,9}):([^:]*):(.*)$/.exec(line)
  if (match === null) throw malformed('LIST DISTRIB.PATS', line)
  return { weight: Number(match[1]), wildmat: match[2] as string, distribution: (match[3] as string).trim() }
}

/**
 * parseHeadersLine: one line of LIST HEADERS (RFC 3977 section 8.6): a header name, `:bytes`-style
 * metadata, or `:` for "any header". Returns the name trimmed. Throws ProtocolError on an empty line.
 */
export function parseHeadersLine(line: string): string {
  const name = line.trim()
  if (name === '' || /\s/.test(name)) throw malformed('LIST HEADERS', line)
  return name
}
