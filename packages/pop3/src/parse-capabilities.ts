import { ProtocolError } from '@netc/transport'

/** A server policy with a number and an optional `USER` flag (EXPIRE, LOGIN-DELAY: RFC 2449 sections 6.5, 6.6). */
export interface Pop3PolicyCapability {
  /** Days (EXPIRE) or seconds (LOGIN-DELAY); `'never'` for `EXPIRE NEVER`. */
  value: number | 'never'
  /** True when the server said `USER`: the value is per user and may change after login. */
  perUser: boolean
}

/**
 * Pop3Capabilities: the answer to CAPA (RFC 2449), typed. Tags are case-insensitive on the wire and
 * upper-cased here; `tags` keeps every tag with its arguments, the unknown ones included.
 */
export interface Pop3Capabilities {
  /** TOP is available (RFC 2449 section 6.1). */
  top: boolean
  /** UIDL is available (section 6.7). */
  uidl: boolean
  /** USER/PASS is available (section 6.8). */
  user: boolean
  /** The SASL mechanisms offered for AUTH (section 6.3, RFC 5034), upper-cased. */
  sasl: readonly string[]
  /** `-ERR` replies carry response codes (section 6.4). */
  respCodes: boolean
  /** The AUTH-RESP-CODE extension: `[AUTH]` on failed logins (RFC 3206 section 3). */
  authRespCode: boolean
  /** Commands may be pipelined (section 6.6). */
  pipelining: boolean
  /** STLS is available (RFC 2595 section 4). */
  stls: boolean
  /** The UTF8 command is available (RFC 6856 section 2); `utf8User` when the `USER` argument says USER/PASS take UTF-8. */
  utf8: boolean
  utf8User: boolean
  /** The LANG command is available (RFC 6856 section 3). */
  lang: boolean
  /** EXPIRE: how long messages stay (section 6.5). */
  expire: Pop3PolicyCapability | undefined
  /** LOGIN-DELAY: the least time between logins (section 6.6). */
  loginDelay: Pop3PolicyCapability | undefined
  /** IMPLEMENTATION: the server's own name for itself (section 6.9). */
  implementation: string | undefined
  /** Every tag, upper-cased, with its arguments as sent. */
  tags: ReadonlyMap<string, readonly string[]>
}

const TAG = /^[\x21-\x7e]+$/

/** emptyCapabilities: what is known of a server that does not answer CAPA (RFC 1939 only). */
export function emptyCapabilities(): Pop3Capabilities {
  return parseCapabilities([])
}

/**
 * parseCapabilities: the lines of a CAPA reply (after `+OK`, before the `.`), typed (RFC 2449 section 5).
 *
 * ```
 * S: +OK
 * S: TOP
 * S: SASL PLAIN SCRAM-SHA-256        → { top: true, sasl: ['PLAIN', 'SCRAM-SHA-256'],
 * S: EXPIRE 31 USER                      expire: { value: 31, perUser: true }, ... }
 * S: .
 * ```
 * Blank lines are skipped; a line whose tag is not printable ASCII, or a malformed EXPIRE/LOGIN-DELAY
 * number, is a `ProtocolError`. Unknown tags are kept in `tags`.
 */
export function parseCapabilities(lines: readonly string[]): Pop3Capabilities {
  const tags = new Map<string, readonly string[]>()
  for (const raw of lines) {
    const words = raw.trim().split(/[ \t]+/)
    const tag = words[0] ?? ''
    if (tag === '') continue
    if (!TAG.test(tag)) throw new ProtocolError(`malformed CAPA line: ${JSON.stringify(raw.slice(0, 200))}`)
    const upper = tag.toUpperCase()
    tags.set(upper, [...(tags.get(upper) ?? []), ...words.slice(1)])
  }
  const args = (tag: string): readonly string[] => tags.get(tag) ?? []
  const implementation = tags.has('IMPLEMENTATION') ? args('IMPLEMENTATION').join(' ') : undefined
  return {
    top: tags.has('TOP'),
    uidl: tags.has('UIDL'),
    user: tags.has('USER'),
    sasl: args('SASL').map((name) => name.toUpperCase()),
    respCodes: tags.has('RESP-CODES'),
    authRespCode: tags.has('AUTH-RESP-CODE'),
    pipelining: tags.has('PIPELINING'),
    stls: tags.has('STLS'),
    utf8: tags.has('UTF8'),
    utf8User: args('UTF8').some((word) => word.toUpperCase() === 'USER'),
    lang: tags.has('LANG'),
    expire: parsePolicy('EXPIRE', tags.get('EXPIRE'), true),
    loginDelay: parsePolicy('LOGIN-DELAY', tags.get('LOGIN-DELAY'), false),
    implementation,
    tags,
  }
}

function parsePolicy(tag: string, words: readonly string[] | undefined, allowNever: boolean): Pop3PolicyCapability | undefined {
  if (words === undefined) return undefined
  const [first = '', second] = words
  const perUser = second?.toUpperCase() === 'USER'
  if (allowNever && first.toUpperCase() === 'NEVER') return { value: 'never', perUser }
  if (!/^\d{1,9}$/.test(first)) throw new ProtocolError(`malformed CAPA ${tag}: ${JSON.stringify(words.join(' ').slice(0, 200))}`)
  return { value: Number(first), perUser }
}
