/**
 * BodyPool: recycled memory for message bodies (`retrieveAll({ reuseBodies: true })`). `allocate` hands
 * out a free buffer at least as large as asked (the smallest that fits) or a new one; `recycle` takes a
 * buffer back once nobody reads the body in it. Every buffer has an ArrayBuffer of its own
 * (`Buffer.allocUnsafeSlow`), never a slice of Node's shared pool, so that handing it out again can
 * overwrite nothing else. New buffers are rounded up to a size class (eighths of the next power of two:
 * at most a fifth left unused), so that a message a little larger than the last still fits recycled memory.
 * At most `limit` buffers are kept.
 *
 * ```ts
 * const pool = new BodyPool(17)
 * const memory = pool.allocate(4096)   // RETR 1's body (LIST said 4096 octets) is read into it
 * pool.recycle(memory)                 // the loop asked for message 2: message 1's memory is free
 * ```
 */
export class BodyPool {
  readonly #limit: number
  readonly #free: Buffer[] = []

  constructor(limit: number) {
    this.#limit = limit
  }

  /** allocate: a buffer of at least `size` bytes (at least 4 KiB). */
  allocate(size: number): Buffer {
    let best = -1
    for (let i = 0; i < this.#free.length; i++) {
      const length = (this.#free[i] as Buffer).length
      if (length >= size && (best < 0 || length < (this.#free[best] as Buffer).length)) best = i
    }
    if (best < 0) return Buffer.allocUnsafeSlow(sizeClass(size))
    const [buffer] = this.#free.splice(best, 1)
    return buffer as Buffer
  }

  /** recycle: gives a buffer from `allocate` back; the largest are kept when there are too many. */
  recycle(buffer: Buffer): void {
    this.#free.push(buffer)
    if (this.#free.length > this.#limit) {
      this.#free.sort((a, b) => b.length - a.length)
      this.#free.length = this.#limit
    }
  }
}

/** sizeClass: `size` rounded up to an eighth of the next power of two, at least 4 KiB (1,000,000 → 1 MiB). */
export function sizeClass(size: number): number {
  if (size <= 4096) return 4096
  const power = 2 ** Math.ceil(Math.log2(size))
  const step = power / 8
  return Math.ceil(size / step) * step
}
