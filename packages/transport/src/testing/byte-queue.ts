/**
 * ByteQueue: the bytes a test session has received and not yet read, as a list of chunks. Searching
 * scans each byte about once (callers pass where the last search stopped), so reading a large body in
 * many chunks stays linear. Internal to ./testing.
 */
export class ByteQueue {
  #chunks: Buffer[] = []
  #length = 0

  /** How many bytes are queued. */
  get length(): number {
    return this.#length
  }

  /** Appends a chunk (kept by reference). */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return
    this.#chunks.push(chunk)
    this.#length += chunk.length
  }

  /**
   * The offset of the first `needle` that starts at or after `from`, or -1. Pass `from` as
   * `previousLength - needle.length + 1` to resume a search after more bytes arrived.
   */
  indexOf(needle: Buffer, from = 0): number {
    const start = Math.max(0, from)
    let base = 0
    let tail: Buffer = Buffer.alloc(0) // the last needle.length - 1 bytes before the current chunk
    for (const chunk of this.#chunks) {
      const end = base + chunk.length
      if (end > start) {
        const window = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk
        const windowBase = base - tail.length
        const found = window.indexOf(needle, Math.max(0, start - windowBase))
        if (found !== -1) return windowBase + found
      }
      if (needle.length > 1) {
        const joined = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk
        tail = joined.subarray(Math.max(0, joined.length - (needle.length - 1)))
      }
      base = end
    }
    return -1
  }

  /** Removes and returns the first `count` bytes (count ≤ length). */
  take(count: number): Buffer {
    const taken: Buffer[] = []
    let remaining = Math.min(count, this.#length)
    while (remaining > 0) {
      const chunk = this.#chunks[0]
      if (chunk === undefined) break
      if (chunk.length <= remaining) {
        taken.push(chunk)
        this.#chunks.shift()
        remaining -= chunk.length
        this.#length -= chunk.length
      } else {
        taken.push(chunk.subarray(0, remaining))
        this.#chunks[0] = chunk.subarray(remaining)
        this.#length -= remaining
        remaining = 0
      }
    }
    return taken.length === 1 ? taken[0]! : Buffer.concat(taken)
  }

  /** Removes and returns everything queued. */
  takeAll(): Buffer {
    return this.take(this.#length)
  }
}
