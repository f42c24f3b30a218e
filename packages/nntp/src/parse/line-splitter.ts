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

  /**
   * push: the lines that this chunk completes. The complete lines of a chunk are decoded with one
   * `toString` and cut with `split` (a line cannot end inside a UTF-8 character: LF is ASCII), not one
   * Buffer view and one decode per line.
   */
  push(chunk: Buffer): string[] {
    const lines: string[] = []
    const last = chunk.lastIndexOf(0x0a)
    let start = 0
    if (last >= 0 && this.#pendingLength > 0) {
      const first = chunk.indexOf(0x0a)
      this.#check(first)
      lines.push(withoutCr(Buffer.concat([...this.#pending, chunk.subarray(0, first)]).toString('utf8')))
      this.#pending = []
      this.#pendingLength = 0
      start = first + 1
    }
    if (start <= last) {
      if (last - start + 2 > this.#maxLineLength) this.#checkEach(chunk, start, last)
      for (const line of chunk.toString('utf8', start, last).split('\n')) lines.push(withoutCr(line))
    }
    const rest = last + 1
    if (rest < chunk.length) {
      this.#check(chunk.length - rest)
      this.#pending.push(rest === 0 ? chunk : chunk.subarray(rest))
      this.#pendingLength += chunk.length - rest
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

/** withoutCr: the line without the CR of its CRLF. */
function withoutCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line
}
