import { ProtocolError } from '../errors/index.ts'

/** The proxy's answer to CONNECT: its status line and headers, and the bytes that followed them. */
export interface HttpConnectResponse {
  status: number
  reason: string
  headers: ReadonlyMap<string, string>
  /** Bytes after the blank line: the target's first bytes (a greeting), to hand on, not to lose. */
  rest: Buffer
}

const HEADER_END = Buffer.from('\r\n\r\n')
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/
const MAX_HEADERS = 100

/**
 * parseHttpConnectResponse: parses the answer of an HTTP proxy to CONNECT (RFC 9110 section 9.3.6,
 * RFC 9112 sections 4 and 5). Pure: `undefined` while the blank line has not arrived; `ProtocolError` for
 * an answer that is not HTTP/1.x, or that passes `maxBytes` or 100 header lines before its blank line.
 *
 * ```ts
 * parseHttpConnectResponse(Buffer.from('HTTP/1.1 200 Connection established\r\n\r\n220 ready\r\n'), 16384)
 * // { status: 200, reason: 'Connection established', headers: Map {}, rest: <'220 ready\r\n'> }
 * ```
 */
export function parseHttpConnectResponse(buffer: Buffer, maxBytes: number): HttpConnectResponse | undefined {
  const end = buffer.indexOf(HEADER_END)
  const firstLineEnd = buffer.indexOf('\n')
  if (firstLineEnd >= 0 || end >= 0) assertStatusLine(buffer.subarray(0, firstLineEnd >= 0 ? firstLineEnd : end).toString('latin1'))
  else if (buffer.length >= 5 && !buffer.subarray(0, 5).equals(Buffer.from('HTTP/'))) throw garbage()
  if (end < 0) {
    if (buffer.length > maxBytes) throw new ProtocolError(`the proxy's answer to CONNECT passed ${maxBytes} bytes without ending its headers`)
    return undefined
  }
  if (end + HEADER_END.length > maxBytes) throw new ProtocolError(`the proxy's answer to CONNECT passed ${maxBytes} bytes`)
  const lines = buffer.subarray(0, end).toString('latin1').split('\r\n')
  const match = STATUS_LINE.exec(lines[0] ?? '')
  if (!match) throw garbage()
  if (lines.length - 1 > MAX_HEADERS) throw new ProtocolError(`the proxy's answer to CONNECT has more than ${MAX_HEADERS} header lines`)
  const headers = new Map<string, string>()
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new ProtocolError("a header line of the proxy's answer to CONNECT has no name")
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { status: Number(match[1]), reason: (match[2] ?? '').trim(), headers, rest: Buffer.from(buffer.subarray(end + HEADER_END.length)) }
}

function assertStatusLine(line: string): void {
  if (!STATUS_LINE.test(line.replace(/\r$/, ''))) throw garbage()
}

function garbage(): ProtocolError {
  return new ProtocolError('the proxy did not answer CONNECT with HTTP/1.x (is it an HTTP proxy?)')
}
