import { ProtocolError } from '../errors/index.ts'
import { defaultLimits, type Limits } from '../limits.ts'
import type { CodedReply } from './coded-reply.ts'

const DIGIT_0 = 0x30
const DIGIT_9 = 0x39

function codeOf(line: string): number | undefined {
  if (line.length < 3) return undefined
  let code = 0
  for (let i = 0; i < 3; i++) {
    const c = line.charCodeAt(i)
    if (c < DIGIT_0 || c > DIGIT_9) return undefined
    code = code * 10 + (c - DIGIT_0)
  }
  return code
}

/**
 * CodedReplyParser: an incremental parser of coded replies, fed one line at a time (without CRLF).
 * `push` returns the finished reply, or `undefined` while a multi-line reply is still open. It accepts
 * what the RFCs and real servers send:
 *
 * ```
 * 220 ready                          single line
 * 250-first / 250-second / 250 last  RFC 5321 section 4.2.1 continuations
 * 211-Features: / ␠MDTM / 211 End    RFC 959 section 4.2: free text between the first and the last line
 * 200                                a code alone
 * ```
 * Anything else (no code, a code out of 100..599, a fourth character that is not space or `-`, a reply
 * over `maxReplyLines` / `maxReplyBytes`) is a `ProtocolError`.
 */
export class CodedReplyParser {
  private readonly limits: Pick<Limits, 'maxReplyLines' | 'maxReplyBytes'>
  private code = 0
  private lines: string[] = []
  private bytes = 0

  constructor(limits: Partial<Pick<Limits, 'maxReplyLines' | 'maxReplyBytes'>> = {}) {
    this.limits = {
      maxReplyLines: limits.maxReplyLines ?? defaultLimits.maxReplyLines,
      maxReplyBytes: limits.maxReplyBytes ?? defaultLimits.maxReplyBytes,
    }
  }

  /** True while a multi-line reply has begun and not yet ended. */
  get pending(): boolean {
    return this.lines.length > 0
  }

  /** reset: forgets a reply left half-read (a wait that was aborted or failed), for a parser kept across reads. */
  reset(): void {
    this.code = 0
    this.lines = []
    this.bytes = 0
  }

  /** push: feed one line; returns the reply it completes, if any. */
  push(line: string): CodedReply | undefined {
    this.bytes += line.length + 2
    if (this.lines.length === 0) return this.first(line)
    if (this.lines.length >= this.limits.maxReplyLines || this.bytes > this.limits.maxReplyBytes) {
      throw new ProtocolError(
        `reply ${this.code} is longer than the limit (${this.limits.maxReplyLines} lines, ${this.limits.maxReplyBytes} bytes)`,
      )
    }
    const code = codeOf(line)
    if (code === this.code) {
      const separator = line.charAt(3)
      if (separator === ' ' || separator === '') return this.finish(line.slice(4))
      if (separator === '-') {
        this.lines.push(line.slice(4))
        return undefined
      }
    }
    this.lines.push(line)
    return undefined
  }

  private first(line: string): CodedReply | undefined {
    const code = codeOf(line)
    if (code === undefined || code < 100 || code > 599) {
      throw new ProtocolError(`malformed reply: ${JSON.stringify(line.slice(0, 80))}`)
    }
    const separator = line.charAt(3)
    if (separator === ' ' || separator === '') {
      this.bytes = 0
      return { code, lines: [line.slice(4)] }
    }
    if (separator !== '-') throw new ProtocolError(`malformed reply: ${JSON.stringify(line.slice(0, 80))}`)
    this.code = code
    this.bytes = line.length + 2
    this.lines = [line.slice(4)]
    return undefined
  }

  private finish(last: string): CodedReply {
    const reply = { code: this.code, lines: [...this.lines, last] }
    this.code = 0
    this.lines = []
    this.bytes = 0
    return reply
  }
}

/**
 * parseCodedReply: parses a complete reply given as its lines (without CRLF). Throws `ProtocolError` when
 * the lines are malformed, do not end the reply, or run past its end.
 *
 * ```
 * parseCodedReply(['250-a', '250 b'])  // { code: 250, lines: ['a', 'b'] }
 * ```
 */
export function parseCodedReply(lines: readonly string[], limits?: Partial<Limits>): CodedReply {
  const parser = new CodedReplyParser(limits)
  for (let i = 0; i < lines.length; i++) {
    const reply = parser.push(lines[i] ?? '')
    if (reply !== undefined) {
      if (i !== lines.length - 1) throw new ProtocolError('reply continues after its last line')
      return reply
    }
  }
  throw new ProtocolError('reply ended before its last line')
}
