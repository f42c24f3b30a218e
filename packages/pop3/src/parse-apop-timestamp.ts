import { createHash } from 'node:crypto'

// RFC 1939 section 7: the timestamp is a msg-id (RFC 822): "<" ... "@" ... ">", printable, no spaces.
const TIMESTAMP = /<[\x21-\x3b\x3d\x3f-\x7e]*@[\x21-\x3b\x3d\x3f-\x7e]*>/g

/**
 * parseApopTimestamp: the APOP timestamp in a POP3 greeting (RFC 1939 section 7), brackets included, or
 * undefined when the server offers none (then APOP is not available).
 *
 * ```
 * parseApopTimestamp('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>')
 * // '<1896.697170952@dbc.mtview.ca.us>'
 * ```
 * The last well-formed `<...@...>` in the line wins.
 */
export function parseApopTimestamp(greeting: string): string | undefined {
  const matches = greeting.match(TIMESTAMP)
  return matches === null ? undefined : matches[matches.length - 1]
}

/**
 * apopDigest: the APOP digest (RFC 1939 section 7): MD5 of the timestamp followed by the shared secret,
 * in lower-case hex.
 *
 * ```
 * apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf')  // 'c4c9334bac560ecc979e58001b3e22fb'
 * ```
 * MD5 is weak: APOP keeps the password off the wire, but a recorded exchange can be brute-forced.
 */
export function apopDigest(timestamp: string, secret: string): string {
  return createHash('md5').update(timestamp + secret, 'utf8').digest('hex')
}
