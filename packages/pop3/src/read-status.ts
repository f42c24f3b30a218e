import type { Command, ConnectionIo, TimeoutPhase } from '@netc/transport'
import { InvalidArgumentError } from '@netc/transport'
import { parseStatusLine, type Pop3Status } from './parse-status-line.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'

/** How one status line is read: its timeout phase, and whether it is logged masked. */
export interface ReadStatusOptions {
  phase?: TimeoutPhase
  sensitive?: boolean
}

/**
 * readStatus: the next POP3 status line, parsed (RFC 1939 section 3). `-ERR` throws `Pop3ReplyError`
 * naming `command` (redacted); a line that is neither `+OK` nor `-ERR` is a `ProtocolError`.
 *
 * ```
 * S: -ERR [IN-USE] locked   → Pop3ReplyError "PASS **** failed: -ERR [IN-USE] locked"
 * ```
 */
export async function readStatus(io: ConnectionIo, command: Command | undefined, options: ReadStatusOptions = {}): Promise<Pop3Status> {
  const line = await io.readTextLine({ phase: options.phase ?? 'reply', sensitive: options.sensitive === true })
  const status = parseStatusLine(line)
  if (!status.ok) throw new Pop3ReplyError({ status, command: command?.toLog() })
  return status
}

/**
 * assertOk: readStatus's check for a caller that needs no more than success: a plain `+OK ...` line is
 * not taken apart (the hot path of a pipelined batch); any other line goes through parseStatusLine.
 */
export function assertOk(line: string, command: Command): void {
  if (line.startsWith('+OK') && (line.length === 3 || line[3] === ' ')) return
  const status = parseStatusLine(line)
  if (!status.ok) throw new Pop3ReplyError({ status, command: command.toLog() })
}

/** sendCommand: writes one command and reads its status line (see readStatus). */
export async function sendCommand(io: ConnectionIo, command: Command, options: ReadStatusOptions = {}): Promise<Pop3Status> {
  await io.send(command)
  return readStatus(io, command, options)
}

/**
 * readMultiLine: the lines of a dot-terminated answer (LIST, UIDL, CAPA: RFC 1939 section 3), unstuffed,
 * without line endings, bounded by `limits.maxListingBytes` (a `ProtocolError` past it).
 */
export async function readMultiLine(io: ConnectionIo): Promise<string[]> {
  const body = await io.readDotBodyBuffer({ maxBytes: io.limits.maxListingBytes })
  if (body.length === 0) return []
  const text = body.toString('utf8').replace(/\r?\n$/, '')
  return text.split(/\r?\n/)
}

/** assertMessageNumber: a message number is an integer from 1 (RFC 1939 section 5); anything else is an `InvalidArgumentError`. */
export function assertMessageNumber(value: number, what = 'message number'): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new InvalidArgumentError(`${what} must be an integer from 1, not ${String(value)}`)
}
