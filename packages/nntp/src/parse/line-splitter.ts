import { ProtocolError } from '@netc/transport'

/**
 * LineSplitter: cuts the chunks of a dot-terminated block (already unstuffed by the transport) into text
 * lines, CRLF or bare LF ended, each decoded as UTF-8 only once whole (a character split between two
 * chunks survives). A line longer than `maxLineLength` bytes is a ProtocolError (DESIGN.md principle 6).
 *
 * ```ts
 * const splitter = new LineSplitter(65536)
 * splitter.push(Buffer.from('1\tSubj'))   // []
 * splitter.push(Buffer.from('ect\r\n2')) // ['1\tSubject']
 * splitter.end()                         // ['2']
 * ```
 */
export class LineSplitter {
  readonly #maxLineLength: number
  #pending: Buffer[] = []
  #pendingLength = 0

  constructor(maxLineLength: number) {
    this.#maxLineLength = maxLineLength
  }

  /** push: the lines that this chunk completes. */
  push(chunk: Buffer): string[] {
    const lines: string[] = []
    let start = 0
    for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline)
      this.#check(piece.length)
      const whole = this.#pending.length === 0 ? piece : Buffer.concat([...this.#pending, piece])
      this.#pending = []
      this.#pendingLength = 0
      const end = whole.length > 0 && whole[whole.length - 1] === 0x0d ? whole.length - 1 : whole.length
      lines.push(whole.toString('utf8', 0, end))
      start = newline + 1
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start)
      this.#check(rest.length)
      this.#pending.push(rest)
      this.#pendingLength += rest.length
    }
    return lines
  }

  /** end: the last line, when the block did not end with a line break. */
  end(): string[] {
    if (this.#pendingLength === 0) return []
    const rest = Buffer.concat(this.#pending).toString('utf8')
    this.#pending = []
    this.#pendingLength = 0
    return [rest]
  }

  #check(length: number): void {
    if (this.#pendingLength + length + 2 > this.#maxLineLength) {
      throw new ProtocolError(`line longer than the limit of ${this.#maxLineLength} bytes`)
    }
  }
}
