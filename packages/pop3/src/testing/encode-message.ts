const LF = 0x0a
const DOT = 0x2e
const CRLF = Buffer.from('\r\n')
const TERMINATOR = Buffer.from('.\r\n')

/**
 * wireMessage: a message as a POP3 server sends it: the stored octets, with CRLF added when they do not
 * end with a line feed (a multi-line answer ends with a line, RFC 1939 section 3). Its length is what LIST
 * announces, and what the client gets back after unstuffing.
 */
export function wireMessage(body: Buffer): Buffer {
  if (body.length === 0 || body[body.length - 1] === LF) return body
  return Buffer.concat([body, CRLF])
}

/**
 * encodeMultiLine: the octets of a multi-line answer's body (after the status line), byte-stuffed (a `.`
 * that begins a line, after any LF, is doubled) and terminated by `.` CRLF (RFC 1939 section 3). Line
 * endings are sent as stored: bare LFs and CRs stay (binary-safe for a client that keeps them).
 */
export function encodeMultiLine(wire: Buffer): Buffer {
  const pieces: Buffer[] = []
  let start = 0
  for (let index = 0; index < wire.length; index++) {
    if (wire[index] === DOT && (index === 0 || wire[index - 1] === LF)) {
      pieces.push(wire.subarray(start, index), Buffer.from('.'))
      start = index
    }
  }
  pieces.push(wire.subarray(start), TERMINATOR)
  return Buffer.concat(pieces)
}

/**
 * topOf: the header of a message, the blank line after it, and the first `lines` lines of its body
 * (RFC 1939 section 7, TOP). A message without a blank line is all header.
 */
export function topOf(wire: Buffer, lines: number): Buffer {
  let end = wire.indexOf('\r\n\r\n')
  let separator = 4
  const bare = wire.indexOf('\n\n')
  if (end === -1 || (bare !== -1 && bare < end)) [end, separator] = [bare, 2]
  if (end === -1) return wire
  let cut = end + separator
  for (let count = 0; count < lines && cut < wire.length; count++) {
    const next = wire.indexOf(LF, cut)
    cut = next === -1 ? wire.length : next + 1
  }
  return wire.subarray(0, cut)
}
