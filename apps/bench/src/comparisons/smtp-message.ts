import { randomBytes } from 'node:crypto'

/**
 * makeMessage: a ready-made message of exactly `size` bytes with CRLF line ends, as a mail program would
 * hand it over: headers, a multipart/mixed body with a short text part (some of its lines begin with `.`,
 * so that dot-stuffing has work to do) and a base64 attachment that fills the rest.
 */
export function makeMessage(size: number): Buffer {
  const boundary = 'netc-bench-boundary-0123456789'
  const head = [
    'From: Bench Sender <sender@example.org>',
    'To: Bench Recipient <recipient@bench.test>',
    'Subject: netc SMTP benchmark message',
    'Date: Sun, 29 Nov 2026 12:00:00 +0000',
    'Message-ID: <netc-bench@example.org>',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Hello,',
    '.this line begins with a dot and must be dot-stuffed on the way',
    'the figures are attached.',
    '.',
    '..two dots',
    '',
    `--${boundary}`,
    'Content-Type: application/octet-stream; name="data.bin"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="data.bin"',
    '',
    '',
  ].join('\r\n')
  const tail = `\r\n--${boundary}--\r\n`
  // every line takes its length + CRLF; the last line's CRLF is the one that begins `tail`
  let room = size - Buffer.byteLength(head) - Buffer.byteLength(tail) + 2
  if (room < 3) throw new Error(`a message of ${size} bytes is too small`)
  const lines: string[] = []
  const random = randomBytes(Math.ceil((room * 3) / 4) + 64).toString('base64').replace(/=/g, 'A')
  let at = 0
  while (room > 0) {
    // a full line is 76 characters + CRLF; the last line takes what is left (at least one character)
    let length = Math.min(76, room - 2)
    if (room - (length + 2) > 0 && room - (length + 2) < 3) length -= 3
    if (length < 1) throw new Error('cannot fill the message to its size')
    lines.push(random.slice(at, at + length))
    at += length
    room -= length + 2
  }
  const message = Buffer.from(head + lines.join('\r\n') + tail)
  if (message.length !== size) throw new Error(`made ${message.length} bytes, wanted ${size}`)
  return message
}

/** dotStuff: the message as it goes after DATA: a `.` doubled at the start of each line, then `.` CRLF. */
export function dotStuff(message: Buffer): Buffer {
  const text = message.toString('latin1')
  const stuffed = (text.startsWith('.') ? '.' : '') + text.replaceAll('\r\n.', '\r\n..')
  return Buffer.from(`${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1')
}
