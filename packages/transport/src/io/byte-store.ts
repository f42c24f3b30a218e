const LF = 0x0a
const CR = 0x0d
const EMPTY = Buffer.alloc(0)

/** The memory of every reusable store: a view into one of them is overwritten once it has been given back. */
const reusableMemory = new WeakSet<ArrayBufferLike>()

/**
 * isReusedMemory: whether `bytes` is a view into a ByteStore's reusable memory (what `ByteStore.lend`
 * hands out after a copy): such a view is valid until the store's next consumer-side call, and a caller
 * that keeps the bytes longer must copy them. A socket's own chunk, taken as it came, is never reused.
 */
export function isReusedMemory(bytes: Uint8Array): boolean {
  return reusableMemory.has(bytes.buffer)
}

/**
 * ByteStore: the unread bytes of a connection, contiguous, in memory that is reused from read to read
 * (the `bufio.Reader` buffer): bytes are copied in from a reusable socket read buffer (`append`), or a
 * socket's own chunk is taken as it is when nothing else is unread (`adopt`). Lines are copied out; a body
 * is lent out as a view (`lend`), which stays intact until the next consumer-side call (`lend`,
 * `lineEnd`, `takeLine`, `takeAll`, `release`): bytes arriving meanwhile go after it, or to a new store.
 *
 * ```ts
 * store.append(readBuffer.subarray(0, bytesRead))  // S: +OK 120 octets\r\nFrom: ...
 * store.takeLine(store.lineEnd())                  // "+OK 120 octets" (a copy, without CRLF)
 * const body = store.lend()                        // "From: ..." (a view: use it before the next call)
 * ```
 */
export class ByteStore {
  readonly #initialBytes: number
  readonly #retainBytes: number
  #store: Buffer = EMPTY
  /** Whether `#store` is reusable memory (else a socket's chunk, never written). */
  #reusable = false
  /** A reusable store put aside while a socket's chunk was adopted, with nothing lent out of it. */
  #spare: Buffer | undefined
  /** `#store[#lent, #start)` was lent out by the last `lend`; `#store[#start, #end)` is unread. */
  #lent = 0
  #start = 0
  #end = 0
  /** Unread bytes (from `#start`) already searched for LF without success. */
  #scanned = 0

  /**
   * `initialBytes`: the first memory's size. `retainBytes`: memory grown up to this size is kept when
   * everything is read (default 4 x `initialBytes`); larger memory is dropped then. A reader that lets up to
   * its high-water mark pile up keeps that much: dropping it would make every burst grow the memory again,
   * leaving each doubled copy for the garbage collector (12 MiB of them reading 50 POP3 messages of 1 MiB).
   */
  constructor(initialBytes = 64 * 1024, retainBytes = 4 * initialBytes) {
    this.#initialBytes = initialBytes
    this.#retainBytes = retainBytes
  }

  /** The number of bytes unread. */
  get size(): number {
    return this.#end - this.#start
  }

  /** append: copies `bytes` in after the unread ones (a reusable read buffer's latest read). */
  append(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    if (!this.#reusable || this.#end + bytes.length > this.#store.length) this.#makeRoom(bytes.length)
    this.#store.set(bytes, this.#end)
    this.#end += bytes.length
  }

  /**
   * adopt: takes `chunk` (a socket's own Buffer, which nobody writes to afterwards) as the store when
   * nothing is unread, without a copy; otherwise appends a copy of it.
   */
  adopt(chunk: Buffer): void {
    if (chunk.length === 0) return
    if (this.#start !== this.#end) return this.append(chunk)
    if (this.#reusable && this.#lent === this.#start && this.#store.length > 0) this.#spare = this.#store
    this.#store = chunk
    this.#reusable = false
    this.#lent = this.#start = this.#scanned = 0
    this.#end = chunk.length
  }

  /**
   * lineEnd: where the first LF is among the unread bytes (0 = the first unread byte), or -1 when none
   * has arrived yet. The bytes searched are remembered, so that each byte is searched once.
   */
  lineEnd(): number {
    this.release()
    const at = this.#store.subarray(0, this.#end).indexOf(LF, this.#start + this.#scanned)
    if (at === -1) {
      this.#scanned = this.#end - this.#start
      return -1
    }
    return at - this.#start
  }

  /** takeLine: removes the unread bytes up to `lineEnd` (the LF) and returns a copy of them without CRLF. */
  takeLine(lineEnd: number): Buffer {
    this.release()
    const at = this.#start + lineEnd
    const stop = lineEnd > 0 && this.#store[at - 1] === CR ? at - 1 : at
    const line = Buffer.from(this.#store.subarray(this.#start, stop))
    this.#start = at + 1
    this.#scanned = 0
    return line
  }

  /**
   * lend: every unread byte, as a view of the store, now read (undefined when none is unread); what was
   * lent before is given back first. The view stays intact until the next consumer-side call; `unshift`
   * can give its tail back.
   */
  lend(): Buffer | undefined {
    this.release()
    if (this.#start === this.#end) return undefined
    const view = this.#store.subarray(this.#start, this.#end)
    this.#start = this.#end
    this.#scanned = 0
    return view
  }

  /**
   * unshift: puts bytes back in front of the unread ones. The tail of the view just lent (what followed
   * a body's terminator) goes back in place without a copy; other bytes are copied.
   */
  unshift(bytes: Uint8Array): void {
    const length = bytes.length
    if (length === 0) return
    this.#scanned = 0
    const store = this.#store
    if (bytes.buffer === store.buffer && bytes.byteOffset + length === store.byteOffset + this.#start && bytes.byteOffset >= store.byteOffset + this.#lent) {
      this.#start -= length
      return
    }
    if (this.#reusable && this.#lent === this.#start && this.#start >= length) {
      this.#start -= length
      this.#lent = this.#start
      store.set(bytes, this.#start)
      return
    }
    const unread = this.size
    const fresh = this.#allocate(length + unread)
    fresh.set(bytes, 0)
    store.copy(fresh, length, this.#start, this.#end)
    this.#use(fresh, length + unread)
  }

  /** takeAll: every unread byte, copied out, and the store emptied (a socket switch: TLS, COMPRESS). */
  takeAll(): Buffer {
    this.release()
    const all = Buffer.from(this.#store.subarray(this.#start, this.#end))
    this.#start = this.#end
    this.release()
    return all
  }

  /**
   * release: the consumer is done with what it was lent (every consumer-side call does this first); with
   * nothing unread either, the store starts over at its front, or is dropped when it grew large.
   */
  release(): void {
    this.#lent = this.#start
    if (this.#start !== this.#end) return
    this.#lent = this.#start = this.#end = this.#scanned = 0
    if (this.#store.length > this.#retainBytes) this.#store = EMPTY
    if (!this.#reusable) {
      // A socket's chunk, all read: let it go, and take up the spare again.
      this.#store = this.#spare ?? EMPTY
      this.#spare = undefined
      this.#reusable = this.#store !== EMPTY
    }
  }

  /** Makes room for `length` more bytes after the unread ones, in reusable memory. */
  #makeRoom(length: number): void {
    const unread = this.size
    const needed = unread + length
    if (this.#reusable && this.#lent === this.#start && needed <= this.#store.length) {
      this.#store.copyWithin(0, this.#start, this.#end)
      this.#use(this.#store, unread)
      return
    }
    const fresh = this.#allocate(needed)
    this.#store.copy(fresh, 0, this.#start, this.#end)
    this.#use(fresh, unread)
  }

  #allocate(needed: number): Buffer {
    const spare = this.#spare
    this.#spare = undefined
    if (spare !== undefined && spare.length >= needed) return spare
    let length = Math.max(this.#initialBytes, this.#reusable ? this.#store.length : 0)
    while (length < needed) length *= 2
    const fresh = Buffer.allocUnsafeSlow(length)
    reusableMemory.add(fresh.buffer)
    return fresh
  }

  #use(store: Buffer, unread: number): void {
    this.#store = store
    this.#reusable = true
    this.#lent = this.#start = 0
    this.#end = unread
  }
}
