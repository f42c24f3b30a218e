import type { CodedReply } from '@netc/transport'

/**
 * SmtpCapabilities: what a server said it can do in its EHLO (or LHLO) reply, typed. `extensions` keeps
 * every keyword (upper-case) with its parameters, for the ones netc has no field for.
 */
export interface SmtpCapabilities {
  /** The domain the server named on the first line (`250-mail.example.com Hello`). */
  readonly domain: string
  /** Whether the reply came from EHLO/LHLO (`true`) or from the HELO fallback (no extensions at all). */
  readonly esmtp: boolean
  /** SIZE (RFC 1870): the largest message in bytes; `0` when advertised without a limit; undefined when absent. */
  readonly size: number | undefined
  /** PIPELINING (RFC 2920). */
  readonly pipelining: boolean
  /** CHUNKING (RFC 3030): BDAT. */
  readonly chunking: boolean
  /** BINARYMIME (RFC 3030): `BODY=BINARYMIME` with BDAT. */
  readonly binaryMime: boolean
  /** 8BITMIME (RFC 6152). */
  readonly eightBitMime: boolean
  /** SMTPUTF8 (RFC 6531): UTF-8 addresses and headers. */
  readonly smtpUtf8: boolean
  /** DSN (RFC 3461): NOTIFY, ORCPT, RET, ENVID. */
  readonly dsn: boolean
  /** ENHANCEDSTATUSCODES (RFC 2034). */
  readonly enhancedStatusCodes: boolean
  /** STARTTLS (RFC 3207). */
  readonly startTls: boolean
  /** REQUIRETLS (RFC 8689). */
  readonly requireTls: boolean
  /** The SASL mechanisms of `AUTH` (RFC 4954 section 3) and of the old `AUTH=` form, upper-case, each once. */
  readonly auth: readonly string[]
  /** Every keyword (upper-case) with its parameters, in the server's order. */
  readonly extensions: ReadonlyMap<string, readonly string[]>
}

const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/

/**
 * parseCapabilities: the typed capabilities of an EHLO/LHLO reply (RFC 5321 section 4.1.1.1).
 *
 * ```
 * S: 250-mail.example.com Hello
 * S: 250-SIZE 10240000
 * S: 250-PIPELINING
 * S: 250-AUTH PLAIN LOGIN
 * S: 250-AUTH=PLAIN LOGIN
 * S: 250 CHUNKING
 * → { domain: 'mail.example.com', size: 10240000, pipelining: true, auth: ['PLAIN', 'LOGIN'], chunking: true, ... }
 * ```
 * Lenient as real servers need: lines that are not `keyword [params]` are skipped, a SIZE without a
 * number means no stated limit. Never throws. Pass `esmtp: false` for a HELO reply.
 */
export function parseCapabilities(reply: Pick<CodedReply, 'lines'>, options: { esmtp?: boolean } = {}): SmtpCapabilities {
  const [first = '', ...rest] = reply.lines
  const extensions = new Map<string, string[]>()
  const auth: string[] = []
  for (const line of options.esmtp === false ? [] : rest) {
    const [word = '', ...params] = line.trim().split(/\s+/)
    // The pre-RFC 2554 form `AUTH=LOGIN PLAIN`, still sent by old Exchange and qmail beside `AUTH`.
    const [keyword, inline] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, '']
    if (!KEYWORD.test(keyword)) continue
    const name = keyword.toUpperCase()
    const values = inline === '' ? params : [inline, ...params]
    if (name === 'AUTH') for (const mechanism of values) addOnce(auth, mechanism.toUpperCase())
    if (!extensions.has(name)) extensions.set(name, values)
  }
  const has = (name: string): boolean => extensions.has(name)
  return {
    domain: first.trim().split(/\s+/)[0] ?? '',
    esmtp: options.esmtp !== false,
    size: has('SIZE') ? parseSize(extensions.get('SIZE')?.[0]) : undefined,
    pipelining: has('PIPELINING'),
    chunking: has('CHUNKING'),
    binaryMime: has('BINARYMIME'),
    eightBitMime: has('8BITMIME'),
    smtpUtf8: has('SMTPUTF8'),
    dsn: has('DSN'),
    enhancedStatusCodes: has('ENHANCEDSTATUSCODES'),
    startTls: has('STARTTLS'),
    requireTls: has('REQUIRETLS'),
    auth,
    extensions,
  }
}

function addOnce(list: string[], value: string): void {
  if (value !== '' && !list.includes(value)) list.push(value)
}

/** RFC 1870 section 4: `SIZE` alone or `SIZE 0` states no fixed limit. */
function parseSize(value: string | undefined): number {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return 0
  return Number(value)
}
