import { domainToASCII } from 'node:url'
import { InvalidArgumentError } from '@netc/transport'

const FORBIDDEN = /[\r\n\0<>]/
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/

/** PrepareAddressOptions: what the server allows, and which path the address is for. */
export interface PrepareAddressOptions {
  /** The server offers SMTPUTF8 (RFC 6531): a UTF-8 local part may go as it is. */
  smtpUtf8: boolean
  /** `'from'` allows the empty null reverse-path `<>` (bounces, RFC 5321 section 4.5.5). */
  role: 'from' | 'to'
}

/**
 * prepareAddress: the address as it goes between `<` and `>` in `MAIL FROM:<...>` / `RCPT TO:<...>`
 * (RFC 5321 section 4.1.2), checked before anything is written.
 *
 * ```ts
 * prepareAddress('dave@bücher.example', { smtpUtf8: false, role: 'to' })   // 'dave@xn--bcher-kva.example'
 * prepareAddress('jürgen@example.com', { smtpUtf8: false, role: 'to' })    // InvalidArgumentError: needs SMTPUTF8
 * prepareAddress('a@b>\r\nRCPT TO:<c@d', ...)                              // InvalidArgumentError (injection)
 * ```
 * Throws `InvalidArgumentError` for CR, LF, NUL, `<` or `>` anywhere, an empty address (except the null
 * reverse-path of `from`), and a non-ASCII local part when the server lacks SMTPUTF8. Without SMTPUTF8 a
 * non-ASCII domain goes as its A-label (IDNA, RFC 5890); with it, as UTF-8 (RFC 6531 section 3.3).
 */
export function prepareAddress(address: string, options: PrepareAddressOptions): string {
  if (typeof address !== 'string') throw new InvalidArgumentError(`an address must be a string, not ${typeof address}`)
  if (FORBIDDEN.test(address)) {
    throw new InvalidArgumentError(`address ${JSON.stringify(address)} holds CR, LF, NUL, '<' or '>'`)
  }
  if (address === '') {
    if (options.role === 'from') return ''
    throw new InvalidArgumentError('a recipient address must not be empty')
  }
  if (options.smtpUtf8 || !NON_ASCII.test(address)) return address
  const at = address.lastIndexOf('@')
  const local = at === -1 ? address : address.slice(0, at)
  if (NON_ASCII.test(local)) {
    throw new InvalidArgumentError(`address ${JSON.stringify(address)} has a non-ASCII local part: the server does not offer SMTPUTF8`)
  }
  const domain = domainToASCII(address.slice(at + 1))
  if (domain === '') throw new InvalidArgumentError(`address ${JSON.stringify(address)} has an invalid domain`)
  return `${local}@${domain}`
}

/** needsSmtpUtf8: true when the address holds a non-ASCII character (RFC 6531). */
export function needsSmtpUtf8(address: string): boolean {
  return NON_ASCII.test(address)
}
