/** One direction of a session's transcript: bytes the client sent, or bytes the server sent. */
export interface TranscriptEntry {
  from: 'client' | 'server'
  data: Buffer
}

/**
 * TranscriptRecorder: what a test session saw both ways, in order, up to a byte budget (past it,
 * recording stops and `truncated` is set). Consecutive bytes from one side form one entry, however
 * TCP chunked them. Internal to ./testing.
 */
export class TranscriptRecorder {
  /** True once recording stopped at the budget. */
  truncated = false
  readonly #budget: number
  readonly #entries: Array<{ from: 'client' | 'server'; chunks: Buffer[] }> = []
  #recorded = 0

  constructor(budget: number) {
    this.#budget = budget
  }

  /** Records a chunk from one side (kept by reference). */
  record(from: 'client' | 'server', chunk: Buffer): void {
    if (this.truncated || this.#recorded + chunk.length > this.#budget) {
      this.truncated = true
      return
    }
    this.#recorded += chunk.length
    const last = this.#entries.at(-1)
    if (last?.from === from) last.chunks.push(chunk)
    else this.#entries.push({ from, chunks: [chunk] })
  }

  /** Everything one side sent. */
  bytesFrom(from: 'client' | 'server'): Buffer {
    return Buffer.concat(this.#entries.filter((entry) => entry.from === from).flatMap((entry) => entry.chunks))
  }

  /** Both directions in order. */
  entries(): TranscriptEntry[] {
    return this.#entries.map((entry) => ({ from: entry.from, data: Buffer.concat(entry.chunks) }))
  }
}
