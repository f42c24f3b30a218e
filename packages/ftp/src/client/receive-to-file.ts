import { close, writev } from 'node:fs'
import { promisify } from 'node:util'

const writevAsync = promisify(writev)
const closeAsync = promisify(close)
import type { Readable } from 'node:stream'

/** FileReceiverOptions: where the bytes go in the file, how many at most, and what to do with a small file. */
export interface FileReceiverOptions {
  /** Opens the file (a descriptor, closed by the receiver) when the first write is due; positional writes, so several receivers may share one file. */
  open: () => Promise<number>
  /** The file offset of the first byte. */
  position: number
  /** Stop after this many bytes (a segment's range); the rest of the stream is left unread. */
  length?: number | undefined
  /**
   * A data connection that ends within `limit` bytes is collected in memory and given to `write` at
   * once, without `open` being called. A `write` that returns nothing (synchronous) settles the receiver
   * at once, in the same tick as the data's end.
   */
  small?: { limit: number; write: (bytes: Buffer) => Promise<void> | void } | undefined
  /** Called with each chunk that is kept (progress). */
  onChunk?: ((chunk: Buffer) => void) | undefined
}

/** Reusable read buffers (net.Socket `onread`): 4 of 256 KiB, in turn on the wire and on their way to disk. */
const BUFFER_BYTES = 256 * 1024
const BUFFERS = 4
/**
 * Buffers of receivers that finished, for the next one: a run of small files (a directory, a pool)
 * reads them all into the same few buffers instead of mapping and unmapping 256 KiB per file.
 */
const spareBuffers: Buffer[] = []
const MAX_SPARE_BUFFERS = 8
/** Above this many bytes waiting for the disk, a socket without `onread` is paused (bounded memory). */
const MAX_PENDING_BYTES = 1024 * 1024

interface Pending {
  chunk: Buffer
  /** The reusable buffer the chunk lives in, given back once the chunk is on disk. */
  buffer: Buffer | undefined
}

/**
 * FileReceiver: a data connection's bytes into a file at its own offsets, without a WriteStream (RFC
 * 959 section 3.4: stream mode, the end of the data is the connection's EOF). Chunks that arrive while
 * a write is under way are written together by the next `writev`, so a fast socket costs one thread-pool
 * round trip per batch, not per read. Memory stays bounded two ways: given to `openDataConnection` as
 * `onread`, the socket reads into 4 reusable 256 KiB buffers and pauses while all of them wait for the
 * disk (nothing allocated per read); through a seam or TLS, where `onread` does not apply, the socket's
 * own chunks are written and it is paused above 1 MiB waiting.
 *
 * ```ts
 * const receiver = new FileReceiver({ open: () => open(part, 'wx'), position: 0 })
 * const data = await openDataConnection({ host, port, timeout, onread: receiver.onread })
 * await receiver.receive(data)   // C: RETR dave.txt  S: 150 ...  (bytes, EOF)  S: 226 ...
 * ```
 */
export class FileReceiver {
  /** For `openDataConnection`: read into this receiver's buffers. */
  readonly onread: { buffer: () => Buffer; callback: (bytes: number, buffer: Uint8Array) => boolean }
  readonly #options: FileReceiverOptions
  readonly #limit: number
  readonly #free: Buffer[] = []
  #allocated = 0
  /** The buffer of the last read. */
  #filled: Buffer | undefined
  /** The read target while it still holds bytes on their way to disk. */
  #held: Buffer | undefined
  /** The buffer the socket reads into next (it keeps it until it closes). */
  #target: Buffer | undefined
  #socketClosed = false
  #succeeded = false
  #small: Buffer[] | undefined
  #smallBytes = 0
  #pending: Pending[] = []
  #pendingBytes = 0
  #received = 0
  #written = 0
  #file: number | undefined
  #opening = false
  #closing = false
  #writing = false
  #ended = false
  #settled = false
  #socket: Readable | undefined
  #starved = false
  #touch: (() => void) | undefined
  readonly #done: Promise<number>
  #resolve: (bytes: number) => void = () => undefined
  #reject: (error: Error) => void = () => undefined

  constructor(options: FileReceiverOptions) {
    this.#options = options
    this.#limit = options.length ?? Number.POSITIVE_INFINITY
    this.#small = options.small === undefined ? undefined : []
    this.#done = new Promise<number>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    this.#done.catch(() => undefined) // the caller of receive() gets it
    this.onread = {
      buffer: () => this.#nextBuffer(),
      callback: (bytes, buffer) => {
        const read = buffer as Buffer
        this.#filled = read
        // Kept in memory (a small file so far): copied out once, and the read buffer is free again at once.
        if (this.#small !== undefined) this.#push(copyOut(read, bytes), read, true)
        else this.#push(Buffer.from(read.buffer, read.byteOffset, bytes), read, false)
        this.#touch?.()
        this.#starved = this.#free.length === 0 && this.#allocated >= BUFFERS
        return !this.#starved && !this.#ended
      },
    }
  }

  /** The bytes kept so far. */
  get received(): number {
    return this.#received
  }

  /**
   * receive: takes the data connection (its `data` events, or what `onread` delivers), resolves with
   * the bytes written once it has ended (or `length` bytes were kept) and the file is closed. `touch`
   * is called per chunk, `data` event or `onread` (the transfer's idle timer: runTransfer's `ownsActivity`).
   */
  receive(data: Readable, touch?: () => void): Promise<number> {
    this.#socket = data
    this.#touch = touch
    // A socket that reads through `onread` asked for its first buffer when it was made: it emits no
    // `data` (a listener would only switch it to flowing mode, at a cost per transfer), and still `end`.
    const ownReads = this.#target !== undefined
    if (!ownReads) {
      data.on('data', (chunk: Buffer) => {
        this.#push(chunk, undefined, true)
        touch?.()
      })
    }
    // `on`, not `once` (no wrapper per listener): each handler is idempotent, and the socket is destroyed after.
    data.on('end', () => this.#end())
    data.on('error', (error: Error) => this.#fail(error))
    data.on('close', () => {
      this.#socketClosed = true
      if (!this.#ended) this.#fail(new Error('the data connection closed before its end'))
      this.#recycle()
    })
    // A slow control connection (the 150 after the data) can hand over a socket that has already ended.
    if (data.readableEnded) this.#end()
    else if (data.destroyed) this.#fail(new Error('the data connection closed before its end'))
    this.#flush()
    if (!this.#ended && (!ownReads || this.#starved)) this.#resume()
    return this.#done
  }

  /**
   * The buffer of the next read. Node asks for it after every read, also after the callback has stopped
   * reading: when all buffers wait for the disk, the one just filled stays the read target (`#held`),
   * and reading resumes only once it is back, so memory stays at 4 buffers however slow the disk.
   */
  #nextBuffer(): Buffer {
    const next = this.#free.pop() ?? (this.#allocated < BUFFERS ? this.#allocate() : undefined)
    if (next === undefined) this.#held = this.#filled
    this.#target = next ?? this.#filled ?? this.#allocate()
    return this.#target
  }

  #allocate(): Buffer {
    this.#allocated++
    return spareBuffers.pop() ?? Buffer.allocUnsafe(BUFFER_BYTES)
  }

  /** Once the transfer succeeded and the socket closed (it reads into nothing any more), the buffers go to the next receiver. */
  #recycle(): void {
    if (!this.#succeeded || !this.#socketClosed || this.#writing) return
    const idle = this.#target === undefined || this.#free.includes(this.#target) ? this.#free : [...this.#free, this.#target]
    this.#free.length = 0
    this.#target = undefined
    for (const buffer of idle) if (spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(buffer)
  }

  /** `owned`: `whole` is a Buffer of its own (not a view of a read buffer that is reused). */
  #push(whole: Buffer, buffer: Buffer | undefined, owned: boolean): void {
    if (this.#settled || this.#ended) return this.#release(buffer)
    const chunk = this.#received + whole.length > this.#limit ? whole.subarray(0, this.#limit - this.#received) : whole
    this.#received += chunk.length
    if (chunk.length > 0) this.#options.onChunk?.(chunk)
    if (this.#small !== undefined) {
      this.#small.push(owned ? chunk : Buffer.from(chunk))
      this.#smallBytes += chunk.length
      this.#release(buffer)
      if (this.#smallBytes > (this.#options.small?.limit ?? 0)) this.#becomeLarge()
    } else if (chunk.length > 0) {
      this.#pending.push({ chunk, buffer })
      this.#pendingBytes += chunk.length
      if (buffer === undefined && this.#pendingBytes > MAX_PENDING_BYTES) this.#socket?.pause()
    } else this.#release(buffer)
    if (this.#received >= this.#limit) this.#end()
    else this.#flush()
  }

  #becomeLarge(): void {
    const chunks = this.#small ?? []
    this.#small = undefined
    this.#pending.push(...chunks.map((chunk) => ({ chunk, buffer: undefined })))
    this.#pendingBytes += this.#smallBytes
  }

  #end(): void {
    if (this.#ended) return
    this.#ended = true
    this.#socket?.pause()
    if (this.#small !== undefined) {
      const bytes = this.#small.length === 1 ? (this.#small[0] as Buffer) : Buffer.concat(this.#small)
      let writing: Promise<void> | void
      try {
        writing = this.#options.small?.write(bytes)
      } catch (error) {
        return this.#fail(error)
      }
      if (writing === undefined) this.#settle()
      else writing.then(() => this.#settle(), (error: unknown) => this.#fail(error))
      return
    }
    this.#flush()
  }

  #flush(): void {
    if (this.#writing || this.#settled || this.#closing || this.#small !== undefined || this.#socket === undefined) return
    if (this.#file === undefined) return this.#open()
    if (this.#pending.length === 0) {
      if (this.#ended) void this.#close()
      return
    }
    const batch = this.#pending
    const bytes = this.#pendingBytes
    this.#pending = []
    this.#pendingBytes = 0
    this.#writing = true
    const file = this.#file
    writeAll(file, batch.map((entry) => entry.chunk), this.#options.position + this.#written, bytes).then(() => {
      this.#writing = false
      if (this.#settled) return void closeAsync(file).catch(() => undefined) // failed meanwhile
      this.#written += bytes
      for (const entry of batch) this.#release(entry.buffer)
      if (!this.#ended) this.#resume()
      this.#flush()
    }, (error: unknown) => {
      this.#writing = false
      this.#fail(error)
    })
  }

  #open(): void {
    if (this.#opening) return
    this.#opening = true
    this.#options.open().then((file) => {
      this.#file = file
      if (this.#settled) void closeAsync(file).catch(() => undefined)
      else this.#flush()
    }, (error: unknown) => this.#fail(error))
  }

  async #close(): Promise<void> {
    if (this.#settled) return
    this.#closing = true
    try {
      const file = this.#file
      this.#file = undefined
      if (file !== undefined) await closeAsync(file)
      this.#settle()
    } catch (error) {
      this.#fail(error)
    }
  }

  #release(buffer: Buffer | undefined): void {
    if (buffer === undefined) return
    if (buffer === this.#held) this.#held = undefined
    else this.#free.push(buffer)
    if (this.#starved && !this.#ended) this.#resume()
  }

  /** Reads again: after `onread` ran out of buffers, or after a pause for the disk. */
  #resume(): void {
    const socket = this.#socket
    if (socket === undefined || this.#pendingBytes > MAX_PENDING_BYTES) return
    if (this.#starved && this.#held !== undefined) return
    this.#starved = false
    socket.resume()
  }

  #settle(): void {
    if (this.#settled) return
    this.#settled = true
    this.#succeeded = true
    this.#recycle()
    this.#resolve(this.#received)
  }

  #fail(error: unknown): void {
    if (this.#settled) return
    this.#settled = true
    if (this.#file !== undefined && !this.#writing) void closeAsync(this.#file).catch(() => undefined)
    this.#reject(error instanceof Error ? error : new Error(String(error)))
  }
}

/** copyOut: the first `bytes` bytes of a read buffer, in a Buffer of their own. */
function copyOut(buffer: Buffer, bytes: number): Buffer {
  const copy = Buffer.allocUnsafe(bytes)
  buffer.copy(copy, 0, 0, bytes)
  return copy
}

/** writeAll: writes the chunks at `position` (one `writev`), again from where a short write stopped. */
async function writeAll(file: number, chunks: Buffer[], position: number, bytes: number): Promise<void> {
  let written = (await writevAsync(file, chunks, position)).bytesWritten
  if (written >= bytes) return
  const whole = Buffer.concat(chunks)
  while (written < bytes) written += (await writevAsync(file, [whole.subarray(written)], position + written)).bytesWritten
}
