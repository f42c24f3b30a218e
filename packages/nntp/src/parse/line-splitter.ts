import { ProtocolError } from '@netc/transport'

/**
 * LineSplitter: cuts the chunks of a dot-terminated block (already unstuffed by the transport) into text
 * lines, CRLF or bare LF ended, each decoded as UTF-8 only once whole (a character split between two
 * chunks survives). A line longer than `maxLineLength` bytes is a ProtocolError (DESIGN.md principle 6).
 *
 * ```ts
 * const splitter = new LineSplitter(65536)
 * splitter.pushText(Buffer.from('1\tSubj'))   // undefined
 * splitter.pushText(Buffer.from('ect\r\n2')) // '1\tSubject\r' (splitText: ['1\tSubject'])
 * splitter.endText()                         // '2'
 * ```
 */
export class LineSplitter {
  readonly #maxLineLength: number
  #pending: Buffer[] = []
  #pendingLength = 0

  constructor(maxLineLength: number) {
    this.#maxLineLength = maxLineLength
  }

  /**
   * pushText: the lines that this chunk completes as one string, joined by LF without the last one (each
   * may still end in CR), or undefined when it completes none: for a parser that walks the lines itself
   * without a string and an array entry per line (`parseOverviewText`); `splitText` cuts it into lines.
   * The chunk's complete lines are decoded with one `toString` (a line cannot end inside a UTF-8
   * character: LF is ASCII).
   *
   * ```ts
   * splitter.pushText(Buffer.from('1\ta\r\n2\tb\r\n3')) // '1\ta\r\n2\tb\r'
   * ```
   */
  pushText(chunk: Buffer): string | undefined {
    const last = chunk.lastIndexOf(0x0a)
    if (last === -1) {
      this.#keep(chunk, 0)
      return undefined
    }
    let head: string | undefined
    let start = 0
    if (this.#pendingLength > 0) {
      const first = chunk.indexOf(0x0a)
      this.#check(first)
      head = Buffer.concat([...this.#pending, chunk.subarray(0, first)]).toString('utf8')
      this.#pending = []
      this.#pendingLength = 0
      start = first + 1
    }
    let text = head
    if (start <= last) {
      if (last - start + 2 > this.#maxLineLength) this.#checkEach(chunk, start, last)
      const body = chunk.toString('utf8', start, last)
      text = head === undefined ? body : `${head}\n${body}`
    }
    this.#keep(chunk, last + 1)
    return text
  }

  /** endText: the last line, when the block did not end with a line break; undefined otherwise. */
  endText(): string | undefined {
    if (this.#pendingLength === 0) return undefined
    const rest = Buffer.concat(this.#pending).toString('utf8')
    this.#pending = []
    this.#pendingLength = 0
    return rest
  }

  /** #keep: holds the bytes of `chunk` from `rest` on, the start of a line still to complete. */
  #keep(chunk: Buffer, rest: number): void {
    if (rest >= chunk.length) return
    this.#check(chunk.length - rest)
    this.#pending.push(rest === 0 ? chunk : chunk.subarray(rest))
    this.#pendingLength += chunk.length - rest
  }

  /** #checkEach: checks the length of every line between `start` and the LF at `last`. */
  #checkEach(chunk: Buffer, start: number, last: number): void {
    for (let from = start; from <= last; ) {
      const newline = chunk.indexOf(0x0a, from)
      this.#check(newline - from)
      from = newline + 1
    }
  }

  #check(length: number): void {
    if (this.#pendingLength + length + 2 > this.#maxLineLength) {
      throw new ProtocolError(`line longer than the limit of ${this.#maxLineLength} bytes`)
    }
  }
}

/** splitText: the lines of a `pushText` string, each without the CR of its CRLF. */
export function splitText(text: string): string[] {
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) lines[i] = withoutCr(lines[i] as string)
  return lines
}

/** withoutCr: the line without the CR of its CRLF. */
function withoutCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line
}
