import type { Duplex } from 'node:stream'
import { AbortError, ConnectionError, NetcError, ProtocolError, TimeoutError, type TimeoutPhase } from '../errors/index.ts'

const LF = 0x0a
const EMPTY = Buffer.alloc(0)
const CR = 0x0d

/** How long one read may wait, in which phase, and the caller's signal. */
export interface ReadOptions {
  /** Milliseconds before the read fails with `TimeoutError`; `0` or absent waits without a limit. */
  timeout?: number | undefined
  /** The phase that a timeout reports (`reply` unless told). */
  phase?: TimeoutPhase | undefined
  /** Rejects the read with `AbortError` when it fires. */
  signal?: AbortSignal | undefined
}

/** Options of `readLine`: a read, and the longest line allowed (CRLF included). */
export interface ReadLineOptions extends ReadOptions {
  maxLength: number
}

/**
 * ByteReader: pull-style reading over a duplex stream (a socket), the `bufio.Reader` of netc.
 * It keeps the socket's own Buffers (no string decoding, no re-concatenation of a growing buffer), pauses
 * the socket when `highWaterMark` bytes wait unread (backpressure) and resumes it as they are consumed.
 * Every wait has a timeout and an AbortSignal; a line longer than its limit is a `ProtocolError`.
 *
 * ```ts
 * const line = await reader.readLine({ maxLength: 512, timeout: 30_000 })  // "220 ready" (no CRLF)
 * const chunk = await reader.readChunk({ phase: 'data', timeout: 30_000 })  // raw bytes, or undefined at EOF
 * ```
 */
export class ByteReader {
  /** Received chunks; the live ones start at `head`, the first of them at byte `offset`. */
  private chunks: Buffer[] = []
  private head = 0
  private offset = 0
  private buffered = 0
  /** Live chunks (from `head`) already searched for LF without success. */
  private scannedChunks = 0
  private ended = false
  private failure: Error | undefined
  private wake: (() => void) | undefined
  private source: Duplex | undefined
  private paused = false
  private readonly highWaterMark: number

  private readonly onData = (chunk: Buffer | string): void => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk
    if (buffer.length === 0) return
    this.chunks.push(buffer)
    this.buffered += buffer.length
    if (this.buffered >= this.highWaterMark && !this.paused) {
      this.paused = true
      this.source?.pause()
    }
    this.notify()
  }

  private readonly onEnd = (): void => {
    this.ended = true
    this.notify()
  }

  private readonly onError = (error: Error): void => {
    this.failure ??= NetcError.isInstance(error)
      ? error
      : new ConnectionError(`connection failed: ${error.message}`, { cause: error })
    this.notify()
  }

  constructor(source: Duplex, options: { highWaterMark?: number } = {}) {
    this.highWaterMark = options.highWaterMark ?? 1024 * 1024
    this.attach(source)
  }

  /** The number of bytes received and not yet read. */
  get bufferedBytes(): number {
    return this.buffered
  }

  /** True once the peer has ended the stream (buffered bytes may remain). */
  get isEnded(): boolean {
    return this.ended
  }

  /** attach: read from `source` from now on (after a TLS upgrade, the TLS socket). */
  attach(source: Duplex): void {
    this.source = source
    this.ended = false
    source.on('data', this.onData)
    source.on('end', this.onEnd)
    source.on('close', this.onEnd)
    source.on('error', this.onError)
    if (this.paused) source.pause()
    else source.resume()
  }

  /** detach: stop reading from the current source and return the bytes received but not read. */
  detach(): Buffer {
    const source = this.source
    if (source) {
      source.off('data', this.onData)
      source.off('end', this.onEnd)
      source.off('close', this.onEnd)
      source.off('error', this.onError)
      source.pause()
    }
    this.source = undefined
    const rest = this.takeAll()
    this.paused = false
    return rest
  }

  /** fail: reject the pending read and all future reads with `error` (the connection broke). */
  fail(error: Error): void {
    this.failure ??= error
    this.notify()
  }

  /** unshift: put bytes back in front of the buffer (the rest after a dot-body's terminator). */
  unshift(bytes: Buffer): void {
    if (bytes.length === 0) return
    this.settleHead()
    if (this.head > 0) this.chunks[--this.head] = bytes
    else this.chunks.unshift(bytes)
    this.buffered += bytes.length
    this.scannedChunks = 0
  }

  /**
   * readLine: the next line without its line ending (CRLF, or a bare LF tolerated on input).
   * Throws `ProtocolError` when no LF comes within `maxLength` bytes.
   */
  async readLine(options: ReadLineOptions): Promise<Buffer> {
    const ready = this.takeLine(options.maxLength)
    if (ready !== undefined) return ready
    const deadline = deadlineOf(options)
    for (;;) {
      const line = this.takeLine(options.maxLength)
      if (line !== undefined) return line
      if (this.failure === undefined && this.ended) {
        throw new ConnectionError(
          this.buffered > 0 ? 'connection closed by the server in the middle of a line' : 'connection closed by the server',
        )
      }
      await this.waitForData(options, deadline)
    }
  }

  /**
   * takeBufferedLine: the next line if it has fully arrived, else `undefined`, without waiting (the
   * synchronous fast path of multi-line replies and listings). Throws like `readLine` on a broken limit.
   */
  takeBufferedLine(maxLength: number): Buffer | undefined {
    return this.failure === undefined ? this.takeLine(maxLength) : undefined
  }

  /**
   * readChunk: the next bytes as they arrived (a Buffer of the socket's), or `undefined` when the peer
   * has ended the stream and nothing is left. The timeout counts from this call (inactivity).
   */
  async readChunk(options: ReadOptions = {}): Promise<Buffer | undefined> {
    const deadline = deadlineOf(options)
    for (;;) {
      if (this.head < this.chunks.length) {
        const first = this.chunks[this.head] as Buffer
        const chunk = this.offset === 0 ? first : first.subarray(this.offset)
        this.dropHead()
        this.consumed(chunk.length)
        return chunk
      }
      if (this.failure === undefined && this.ended) return undefined
      await this.waitForData(options, deadline)
    }
  }

  private takeLine(maxLength: number): Buffer | undefined {
    const chunks = this.chunks
    let searched = 0
    for (let i = this.head; i < chunks.length; i++) {
      const chunk = chunks[i] as Buffer
      const start = i === this.head ? this.offset : 0
      const at = i - this.head < this.scannedChunks ? -1 : chunk.indexOf(LF, start)
      if (at === -1) {
        searched += chunk.length - start
        if (searched > maxLength) throw this.tooLong(maxLength)
        continue
      }
      if (searched + at - start + 1 > maxLength) throw this.tooLong(maxLength)
      return this.cut(i, at)
    }
    this.scannedChunks = chunks.length - this.head
    return undefined
  }

  /** Removes the bytes up to chunks[index][at] (the LF) and returns the line without its CRLF. */
  private cut(index: number, at: number): Buffer {
    const last = this.chunks[index] as Buffer
    let line: Buffer
    if (index === this.head) {
      line = last.subarray(this.offset, at)
    } else {
      const first = (this.chunks[this.head] as Buffer).subarray(this.offset)
      line = Buffer.concat([first, ...this.chunks.slice(this.head + 1, index), last.subarray(0, at)])
      this.head = index
    }
    this.offset = at + 1
    if (this.offset === last.length) this.dropHead()
    this.scannedChunks = 0
    this.consumed(line.length + 1)
    return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line
  }

  /** Moves past the head chunk, and now and then gives the array's dead front back. */
  private dropHead(): void {
    this.chunks[this.head] = EMPTY
    this.head++
    this.offset = 0
    if (this.head === this.chunks.length) {
      this.chunks = []
      this.head = 0
    } else if (this.head >= 1024) {
      this.chunks = this.chunks.slice(this.head)
      this.head = 0
    }
  }

  /** Makes the head chunk start at its first unread byte (before something is put in front of it). */
  private settleHead(): void {
    if (this.offset > 0) {
      this.chunks[this.head] = (this.chunks[this.head] as Buffer).subarray(this.offset)
      this.offset = 0
    }
  }

  private tooLong(maxLength: number): ProtocolError {
    const error = new ProtocolError(`line longer than the limit of ${maxLength} bytes`)
    this.fail(error)
    return error
  }

  private takeAll(): Buffer {
    this.settleHead()
    const live = this.chunks.slice(this.head)
    const all = live.length === 1 ? (live[0] as Buffer) : Buffer.concat(live)
    this.chunks = []
    this.head = 0
    this.consumed(this.buffered)
    return all
  }

  private consumed(bytes: number): void {
    this.buffered -= bytes
    if (this.paused && this.buffered < this.highWaterMark / 2) {
      this.paused = false
      this.source?.resume()
    }
  }

  private notify(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  private waitForData(options: ReadOptions, deadline: number | undefined): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    const { signal } = options
    if (signal?.aborted) return Promise.reject(abortErrorOf(signal))
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const onAbort = (): void => settle(abortErrorOf(signal as AbortSignal))
      const settle = (error?: Error): void => {
        if (timer) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        this.wake = undefined
        if (error) reject(error)
        else if (this.failure !== undefined && this.buffered === 0) reject(this.failure)
        else resolve()
      }
      if (deadline !== undefined) {
        const timeout = options.timeout ?? 0
        const phase = options.phase ?? 'reply'
        timer = setTimeout(() => {
          settle(new TimeoutError(`no ${phase === 'data' ? 'data' : phase} from the server within ${timeout} ms`, { phase, timeout }))
        }, Math.max(0, deadline - Date.now()))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.wake = () => settle()
    })
  }
}

function deadlineOf(options: ReadOptions): number | undefined {
  return options.timeout !== undefined && options.timeout > 0 ? Date.now() + options.timeout : undefined
}

/** abortErrorOf: the `AbortError` for a fired signal, its reason as the cause. */
export function abortErrorOf(signal: AbortSignal): AbortError {
  return new AbortError('the operation was aborted', { cause: signal.reason })
}
