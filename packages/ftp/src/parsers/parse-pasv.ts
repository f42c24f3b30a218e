import { ProtocolError } from '@netc/transport'

/** A passive-mode address: where the server listens for the data connection. */
export interface PassiveAddress {
  host: string
  port: number
}

const SIX_NUMBERS = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/

/**
 * parsePasv: the address in a PASV reply, with or without parentheses (RFC 959 section 4.1.2 leaves
 * the text free; RFC 1123 section 4.1.2.6 says to scan for the six numbers).
 *
 * ```
 * 227 Entering Passive Mode (127,0,0,1,164,151).  → { host: '127.0.0.1', port: 42135 }
 * 227 Entering Passive Mode 10,0,0,5,4,1          → { host: '10.0.0.5', port: 1025 }
 * ```
 * The client does not trust `host` (PASV spoofing, RFC 2577): it connects to the control host unless
 * told otherwise. Throws `ProtocolError` when there are no six numbers of 0-255 or the port is 0.
 */
export function parsePasv(text: string): PassiveAddress {
  const match = SIX_NUMBERS.exec(text)
  if (match === null) throw new ProtocolError(`malformed PASV reply: ${JSON.stringify(text.slice(0, 80))}`)
  const numbers = match.slice(1, 7).map(Number)
  if (numbers.some((n) => n > 255)) throw new ProtocolError(`PASV reply has a number over 255: ${JSON.stringify(match[0])}`)
  const [h1, h2, h3, h4, p1, p2] = numbers as [number, number, number, number, number, number]
  const port = p1 * 256 + p2
  if (port === 0) throw new ProtocolError('PASV reply has port 0')
  return { host: `${h1}.${h2}.${h3}.${h4}`, port }
}
