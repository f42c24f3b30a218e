/**
 * NntpCapabilities: what a news server said it can do (RFC 3977 section 5.2), typed. `raw` keeps every
 * label (upper-case) with its arguments, for the ones netc has no field for (XPAT, XSECRET, ...).
 */
export interface NntpCapabilities {
  /** VERSION: the protocol versions, e.g. `[2]`; empty for a pre-RFC 3977 server that sent no list. */
  readonly versions: readonly number[]
  /** IMPLEMENTATION: the server software, e.g. `INN 2.7.1`. */
  readonly implementation: string | undefined
  /** READER: the reading commands are available (RFC 3977 section 3.4.2). */
  readonly reader: boolean
  /** MODE-READER: MODE READER must be sent before reading (a mode-switching server, INN's innd). */
  readonly modeReader: boolean
  /** POST: posting is available now. */
  readonly post: boolean
  /** IHAVE: the server takes articles offered by IHAVE. */
  readonly ihave: boolean
  /** STREAMING: MODE STREAM, CHECK and TAKETHIS (RFC 4644 section 2.1). */
  readonly streaming: boolean
  /** OVER: the OVER command; `msgid` when it takes a message-id. Undefined when absent. */
  readonly over: { readonly msgid: boolean } | undefined
  /** HDR: the HDR command (RFC 3977 section 8.5). */
  readonly hdr: boolean
  /** LIST: the LIST keywords, upper-case (`ACTIVE`, `NEWSGROUPS`, `OVERVIEW.FMT`, ...). */
  readonly list: readonly string[]
  /** NEWNEWS: the NEWNEWS command. */
  readonly newnews: boolean
  /** STARTTLS (RFC 4642). */
  readonly startTls: boolean
  /** AUTHINFO (RFC 4643 section 2.2): which forms are offered now; undefined when not advertised. */
  readonly authinfo: { readonly user: boolean; readonly sasl: boolean } | undefined
  /** SASL: the mechanisms (RFC 4643 section 2.1), upper-case. */
  readonly sasl: readonly string[]
  /** COMPRESS: the algorithms (RFC 8054 section 2.1), upper-case, e.g. `['DEFLATE']`. */
  readonly compress: readonly string[]
  /** Every label (upper-case) with its arguments, in the server's order. */
  readonly raw: ReadonlyMap<string, readonly string[]>
}

const LABEL = /^[A-Za-z][A-Za-z0-9.-]*$/

/**
 * parseCapabilities: the typed capabilities of a CAPABILITIES answer, given its lines after the `101`
 * status line (RFC 3977 section 5.2).
 *
 * ```
 * S: 101 Capability list:
 * S: VERSION 2
 * S: IMPLEMENTATION INN 2.7.1
 * S: AUTHINFO SASL
 * S: LIST ACTIVE NEWSGROUPS OVERVIEW.FMT
 * S: OVER
 * S: .
 * → { versions: [2], implementation: 'INN 2.7.1', authinfo: { user: false, sasl: true }, over: { msgid: false }, ... }
 * ```
 * Lenient as real servers need: lines that are not `label [arguments]` are skipped. Never throws.
 */
export function parseCapabilities(lines: readonly string[]): NntpCapabilities {
  const raw = new Map<string, string[]>()
  for (const line of lines) {
    const [label = '', ...args] = line.trim().split(/[ \t]+/)
    if (!LABEL.test(label)) continue
    const key = label.toUpperCase()
    raw.set(key, [...(raw.get(key) ?? []), ...args])
  }
  const argsOf = (label: string): string[] | undefined => raw.get(label)
  const upper = (label: string): string[] => (argsOf(label) ?? []).map((arg) => arg.toUpperCase())
  const authinfo = argsOf('AUTHINFO')
  const over = argsOf('OVER')
  return {
    versions: (argsOf('VERSION') ?? []).map(Number).filter((version) => Number.isInteger(version) && version > 0),
    implementation: argsOf('IMPLEMENTATION')?.join(' ') || undefined,
    reader: raw.has('READER'),
    modeReader: raw.has('MODE-READER'),
    post: raw.has('POST'),
    ihave: raw.has('IHAVE'),
    streaming: raw.has('STREAMING'),
    over: over === undefined ? undefined : { msgid: upper('OVER').includes('MSGID') },
    hdr: raw.has('HDR'),
    list: unique(upper('LIST')),
    newnews: raw.has('NEWNEWS'),
    startTls: raw.has('STARTTLS'),
    authinfo: authinfo === undefined ? undefined : { user: upper('AUTHINFO').includes('USER'), sasl: upper('AUTHINFO').includes('SASL') },
    sasl: unique(upper('SASL')),
    compress: unique(upper('COMPRESS')),
    raw,
  }
}

/** The capabilities of a server that knows no CAPABILITIES command (RFC 977): nothing is promised. */
export const noCapabilities: NntpCapabilities = parseCapabilities([])

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
