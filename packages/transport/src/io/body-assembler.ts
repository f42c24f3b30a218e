import { ProtocolError } from '../errors/index.ts'

const EMPTY = Buffer.alloc(0)

/**
 * BodyAllocator: memory for a body: a Buffer of at least `size` bytes (its first `size` are written).
 * For callers that recycle bodies (POP3 `retrieveAll` with `reuseBodies`).
 */
export type BodyAllocator = (size: number) => Buffer

/**
 * BodyAssembler: gathers the pieces of one body into a single Buffer of its own, bounded by `maxBytes`.
 * Each piece is copied as it comes, so the socket's chunks it came in are not kept alive until the body
 * ends (they die young, and the garbage collector frees them cheaply), and the finished body holds no
 * socket chunk either: a 4 KiB message does not pin the 64 KiB read it arrived in. With `sizeHint` (POP3's
 * LIST size, RFC 1939 section 5) the Buffer is allocated once at that size; a body that outgrows it grows
 * by doubling, and one that ends short is trimmed (copied) when it used less than half.
 *
 * ```ts
 * const assembler = new BodyAssembler(64 * 1024 * 1024, 4096)
 * assembler.push(piece)            // for each unstuffed piece of the body
 * const body = assembler.finish()  // one Buffer, exactly the octets pushed
 * ```
 */
export class BodyAssembler {
  readonly #maxBytes: number
  readonly #allocate: BodyAllocator | undefined
  #buffer: Buffer
  #size = 0

  /** `allocate` (optional) provides the memory instead of `Buffer.allocUnsafe`: a buffer of at least the size asked; the body is then a view of it. */
  constructor(maxBytes: number, sizeHint = 0, allocate?: BodyAllocator) {
    this.#maxBytes = maxBytes
    this.#allocate = allocate
    const initial = Math.min(Math.max(0, Math.floor(sizeHint)), maxBytes)
    this.#buffer = initial > 0 ? this.#memory(initial) : EMPTY
  }

  /** The octets pushed so far. */
  get size(): number {
    return this.#size
  }

  /** push: appends a piece. A `ProtocolError` when the body would pass `maxBytes`. */
  push(piece: Uint8Array): void {
    const end = this.#size + piece.length
    if (end > this.#maxBytes) throw new ProtocolError(`body longer than the limit of ${this.#maxBytes} bytes`)
    if (end > this.#buffer.length) this.#grow(end)
    this.#buffer.set(piece, this.#size)
    this.#size = end
  }

  /** finish: the body, exactly the octets pushed (the assembler must not be used afterwards). */
  finish(): Buffer {
    const buffer = this.#buffer
    this.#buffer = EMPTY
    if (this.#size === buffer.length) return buffer
    if (this.#allocate !== undefined) return buffer.subarray(0, this.#size)
    if (this.#size * 2 >= buffer.length) return buffer.subarray(0, this.#size)
    return Buffer.from(buffer.subarray(0, this.#size))
  }

  #grow(needed: number): void {
    const length = Math.min(this.#maxBytes, Math.max(needed, this.#buffer.length * 2, 4096))
    const grown = this.#memory(length)
    grown.set(this.#buffer.subarray(0, this.#size), 0)
    this.#buffer = grown
  }

  #memory(size: number): Buffer {
    return this.#allocate === undefined ? Buffer.allocUnsafe(size) : this.#allocate(size)
  }
}
