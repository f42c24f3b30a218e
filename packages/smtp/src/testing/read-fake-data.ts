import type { TestSession } from '@netc/transport/testing'

/** What the fake read of a message: its bytes, and whether a bare CR or LF was among them. */
export interface FakeData {
  message: Buffer
  bareLineEnding: boolean
}

/**
 * readFakeData: the message after `354`, line by line as a server reads it, up to the `.` line, dots
 * unstuffed (RFC 5321 section 4.5.2). Like a lenient server it also ends a line at a bare LF, so a client
 * that sent `\n.\n` would be caught ending the data early. Undefined at EOF.
 */
export async function readFakeData(session: TestSession): Promise<FakeData | undefined> {
  const lines: Buffer[] = []
  let bareLineEnding = false
  for (;;) {
    const line = await session.readLine()
    if (line === undefined) return undefined
    if (session.lastLineEnding !== 'crlf') bareLineEnding = true
    if (line === '.') break
    const bytes = Buffer.from(line.startsWith('.') ? line.slice(1) : line, 'latin1')
    if (bytes.includes(0x0d)) bareLineEnding = true
    lines.push(bytes, CRLF)
  }
  return { message: Buffer.concat(lines), bareLineEnding }
}

/** readFakeChunk: the `size` bytes of one BDAT chunk (RFC 3030 section 2). Undefined at EOF. */
export function readFakeChunk(session: TestSession, size: number): Promise<Buffer | undefined> {
  return session.readBytes(size)
}

/** hasBareLineEnding: a CR not followed by LF, or a LF not preceded by CR. */
export function hasBareLineEnding(message: Buffer): boolean {
  for (let i = message.indexOf(0x0d); i !== -1; i = message.indexOf(0x0d, i + 1)) if (message[i + 1] !== 0x0a) return true
  for (let i = message.indexOf(0x0a); i !== -1; i = message.indexOf(0x0a, i + 1)) if (message[i - 1] !== 0x0d) return true
  return false
}

const CRLF = Buffer.from('\r\n')
