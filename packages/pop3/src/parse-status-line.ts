import { ProtocolError } from '@netc/transport'

/**
 * Pop3Status: a POP3 status line taken apart. `respCode` is the RFC 2449 extended response code without
 * its brackets (`IN-USE`, `SYS/TEMP`), upper-cased; `text` is what follows it.
 */
export interface Pop3Status {
  /** True for `+OK`, false for `-ERR`. */
  ok: boolean
  /** The RFC 2449 response code, e.g. `'SYS/TEMP'`, or undefined when the line has none. */
  respCode: string | undefined
  /** The text after the indicator (and after the response code, when there is one). */
  text: string
  /** The whole line as received: `-ERR [IN-USE] maildrop locked`. */
  line: string
}

// RFC 2449 section 8: resp-code = "[" resp-level *("/" resp-level) "]", resp-level = 1*rchar,
// rchar = %x21-2E / %x30-5C / %x5E-7F (printable, not "/" or "]").
const STATUS = /^([+-][A-Za-z]+)(?:$| (.*)$)/s
const RESP_CODE = /^\[([\x21-\x2e\x30-\x5c\x5e-\x7e]+(?:\/[\x21-\x2e\x30-\x5c\x5e-\x7e]+)*)\](?: (.*))?$/s

/**
 * parseStatusLine: a POP3 status line (RFC 1939 section 3) with its RFC 2449 section 8 response code.
 *
 * ```
 * parseStatusLine('+OK 2 320')                  // { ok: true,  respCode: undefined,  text: '2 320' }
 * parseStatusLine('-ERR [IN-USE] locked')       // { ok: false, respCode: 'IN-USE',   text: 'locked' }
 * parseStatusLine('-ERR [SYS/TEMP] try later')  // { ok: false, respCode: 'SYS/TEMP', text: 'try later' }
 * ```
 * The indicator is matched case-insensitively (old servers send `+ok`); anything else, a SASL
 * continuation `+ ...` included, is a `ProtocolError`. A bracket that is not a well-formed response code
 * stays in `text`.
 */
export function parseStatusLine(line: string): Pop3Status {
  const match = STATUS.exec(line)
  const indicator = match?.[1]?.toUpperCase()
  if (match === null || (indicator !== '+OK' && indicator !== '-ERR')) {
    throw new ProtocolError(`malformed POP3 status line: ${JSON.stringify(line.slice(0, 200))}`)
  }
  const rest = match[2] ?? ''
  const code = RESP_CODE.exec(rest)
  if (code === null) return { ok: indicator === '+OK', respCode: undefined, text: rest, line }
  return { ok: indicator === '+OK', respCode: (code[1] ?? '').toUpperCase(), text: code[2] ?? '', line }
}
