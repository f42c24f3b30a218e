import type { Duplex } from 'node:stream'
import { AbortError, ConnectionError, NetcError, ProtocolError, TimeoutError, type TimeoutPhase } from '../errors/index.ts'
import { ByteStore } from './byte-store.ts'

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

/** OnreadOptions: net.Socket's `onread` option (Node 20): one reusable read buffer, and what receives each read. */
export interface OnreadOptions {
  /** The memory every read lands in (reused: its bytes are valid only inside `callback`). */
  buffer: Uint8Array
  /** Receives each read: `bytesRead` bytes at the start of `buffer`; returning false pauses the socket. */
  callback: (bytesRead: number, buffer: Uint8Array) => boolean
}

/** The one line read waiting for bytes (reads never overlap): how it ends, and what bounds it. */
interface LineWait {
  readonly maxLength: number
  readonly resolve: (line: Buffer) => void
  readonly reject: (error: Error) => void
  readonly signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
  timer: NodeJS.Timeout | undefined
}

/** The reusable read buffer of a socket that reads through `onread`: one per connection. */
const READ_BUFFER_BYTES = 64 * 1024

/**
 * ByteReader: pull-style reading over a duplex stream (a socket), the `bufio.Reader` of netc. Its bytes
 * live in a `ByteStore`: a plain socket opened with `reader.onread` reads into one reusable 64 KiB buffer
 * whose reads are copied into the store (no Buffer allocated per read, so no garbage per read); any other
 * stream (TLS, a seam, COMPRESS) has its `data` chunks taken as they come. Lines are copied out, bodies
 * lent out (`readChunk`). The source is paused when `highWaterMark` bytes wait unread (backpressure) and
 * resumed as they are consumed. Every wait has a timeout and an AbortSignal; a line longer than its limit
 * is a `ProtocolError`.
 *
 * ```ts
 * const reader = new ByteReader()
 * const socket = net.connect({ host, port, onread: reader.onread })
 * reader.attach(socket)
 * const line = await reader.readLine({ maxLength: 512, timeout: 30_000 })  // "220 ready" (no CRLF)
 * const chunk = await reader.readChunk({ phase: 'data', timeout: 30_000 })  // raw bytes, or undefined at EOF
 * ```
 */
export class ByteReader {
  private readonly store: ByteStore
  private ended = false
  private failure: Error | undefined
  /** A chunk read waiting for bytes (`readChunk`). */
  private wake: (() => void) | undefined
  /** A line read waiting for bytes: the line is taken and handed over as soon as its LF arrives. */
  private lineWait: LineWait | undefined
  private source: Duplex | undefined
  private paused = false
  private readonly highWaterMark: number
  private socketOnread: OnreadOptions | undefined
  private diverted: ((bytes: Uint8Array) => boolean) | undefined

  private readonly onData = (chunk: Buffer | string): void => {
    this.store.adopt(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk)
    this.received()
  }

  private readonly onRead = (bytesRead: number, buffer: Uint8Array): boolean => {
    const bytes = buffer.subarray(0, bytesRead)
    if (this.diverted !== undefined) return this.diverted(bytes)
    this.store.append(bytes)
    this.received()
    // Detached (a socket switch under way): nothing reads these bytes now, so the socket stops reading.
    return this.source !== undefined && !this.paused
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

  /** A reader of `source`, or of the stream given to `attach` later (a socket opened with `onread`). */
  constructor(source?: Duplex, options: { highWaterMark?: number } = {}) {
    this.highWaterMark = options.highWaterMark ?? 1024 * 1024
    // What piles up below the high-water mark (and the read that crosses it) is kept for the next burst.
    this.store = new ByteStore(READ_BUFFER_BYTES, 2 * (this.highWaterMark + READ_BUFFER_BYTES))
    if (source !== undefined) this.attach(source)
  }

  /**
   * onread: the `onread` option for `net.connect` (plain TCP only: TLS and other streams deliver `data`
   * chunks): the socket reads into one reusable buffer of this reader's, and each read is copied into it,
   * or where `divert` sends it. Give it to one socket only.
   */
  get onread(): OnreadOptions {
    this.socketOnread ??= { buffer: Buffer.allocUnsafeSlow(READ_BUFFER_BYTES), callback: this.onRead }
    return this.socketOnread
  }

  /** The number of bytes received and not yet read. */
  get bufferedBytes(): number {
    return this.store.size
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

  /** detach: stop reading from the current source and return (a copy of) the bytes received but not read. */
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
    const rest = this.store.takeAll()
    this.paused = false
    return rest
  }

  /**
   * divert: from now on, what the socket reads through `onread` goes to `sink` (COMPRESS DEFLATE: to the
   * inflater, whose output this reader then reads as another source); `sink` returns false to stop the
   * socket reading until it is resumed. `undefined` ends the diversion (a TLS layer removed by CCC): reads
   * come to this reader again.
   */
  divert(sink: ((bytes: Uint8Array) => boolean) | undefined): void {
    this.diverted = sink
  }

  /** fail: reject the pending read and all future reads with `error` (the connection broke). */
  fail(error: Error): void {
    this.failure ??= error
    this.notify()
  }

  /** unshift: put bytes back in front of the buffer (the rest after a dot-body's terminator). */
  unshift(bytes: Buffer): void {
    this.store.unshift(bytes)
  }

  /**
   * readLine: the next line without its line ending (CRLF, or a bare LF tolerated on input).
   * Throws `ProtocolError` when no LF comes within `maxLength` bytes.
   */
  readLine(options: ReadLineOptions): Promise<Buffer> {
    // A line already received costs no promise of its own beyond the resolved one (pipelined replies
    // arrive many to a read); a broken limit (the only throw) and any wait reject or wait.
    if (this.failure === undefined) {
      let line: Buffer | undefined
      try {
        line = this.takeLine(options.maxLength)
      } catch (error) {
        return rejectWithThrown(error)
      }
      if (line !== undefined) return Promise.resolve(line)
    }
    return this.waitForLine(options, this.failure === undefined)
  }

  /**
   * The line that has not arrived: one promise, settled from the read that completes the line (taken
   * there, at once), or by the end of the stream, a failure, the timeout or the signal.
   */
  private waitForLine(options: ReadLineOptions, searched: boolean): Promise<Buffer> {
    const { maxLength, signal } = options
    // After a failure the lines already received are still handed over (the failure comes once they are read).
    if (!searched) {
      try {
        const line = this.takeLine(maxLength)
        if (line !== undefined) return Promise.resolve(line)
      } catch (error) {
        return rejectWithThrown(error)
      }
    }
    const stop = this.lineStop()
    if (stop !== undefined) return Promise.reject(stop)
    if (signal?.aborted) return Promise.reject(abortErrorOf(signal))
    const timeout = options.timeout ?? 0
    return new Promise<Buffer>((resolve, reject) => {
      const wait: LineWait = { maxLength, resolve, reject, signal, onAbort: undefined, timer: undefined }
      if (timeout > 0) {
        const phase = options.phase ?? 'reply'
        wait.timer = setTimeout(() => {
          this.abandonLine(wait, new TimeoutError(`no ${phase} from the server within ${timeout} ms`, { phase, timeout }))
        }, timeout)
      }
      if (signal !== undefined) {
        wait.onAbort = () => this.abandonLine(wait, abortErrorOf(signal))
        signal.addEventListener('abort', wait.onAbort, { once: true })
      }
      this.lineWait = wait
    })
  }

  /** Why a line read that found no line cannot wait: the reader failed, or the peer ended the stream. */
  private lineStop(): Error | undefined {
    if (this.failure !== undefined) return this.failure
    if (!this.ended) return undefined
    return new ConnectionError(
      this.store.size > 0 ? 'connection closed by the server in the middle of a line' : 'connection closed by the server',
    )
  }

  /** Bytes arrived, or the stream ended or failed: the waiting line read takes its line or learns why not. */
  private serveLine(wait: LineWait): void {
    // Cleared first: a broken limit fails the reader, which notifies again.
    this.lineWait = undefined
    let line: Buffer | undefined
    try {
      line = this.takeLine(wait.maxLength)
    } catch (error) {
      this.endLineWait(wait)
      wait.reject(error as Error)
      return
    }
    if (line !== undefined) {
      this.endLineWait(wait)
      wait.resolve(line)
      return
    }
    const stop = this.lineStop()
    if (stop === undefined) {
      this.lineWait = wait
      return
    }
    this.endLineWait(wait)
    wait.reject(stop)
  }

  /** The timeout or the signal ends a line read that is still waiting. */
  private abandonLine(wait: LineWait, error: Error): void {
    if (this.lineWait !== wait) return
    this.lineWait = undefined
    this.endLineWait(wait)
    wait.reject(error)
  }

  private endLineWait(wait: LineWait): void {
    if (wait.timer !== undefined) clearTimeout(wait.timer)
    if (wait.onAbort !== undefined) wait.signal?.removeEventListener('abort', wait.onAbort)
  }

  /**
   * takeBufferedLine: the next line if it has fully arrived, else `undefined`, without waiting (the
   * synchronous fast path of multi-line replies and listings). Throws like `readLine` on a broken limit.
   */
  takeBufferedLine(maxLength: number): Buffer | undefined {
    return this.failure === undefined ? this.takeLine(maxLength) : undefined
  }

  /**
   * readChunk: every byte received and not read yet, or `undefined` when the peer has ended the stream
   * and nothing is left. The bytes may be a view of reused memory (`isReusedMemory`): they are valid
   * until the next call on this reader (`unshift` may give back their tail); copy what must be kept longer.
   * The timeout counts from this call (inactivity).
   */
  readChunk(options: ReadOptions = {}): Promise<Buffer | undefined> {
    const chunk = this.store.lend()
    if (chunk === undefined) return this.waitForChunk(options)
    this.consumed()
    return Promise.resolve(chunk)
  }

  private async waitForChunk(options: ReadOptions): Promise<Buffer | undefined> {
    const deadline = deadlineOf(options)
    for (;;) {
      const chunk = this.store.lend()
      if (chunk !== undefined) {
        this.consumed()
        return chunk
      }
      if (this.failure === undefined && this.ended) return undefined
      await this.waitForData(options, deadline)
    }
  }

  private takeLine(maxLength: number): Buffer | undefined {
    if (this.store.size === 0) {
      // Nothing unread: what `lineEnd` would find, without a view of the store to search.
      this.store.release()
      return undefined
    }
    const at = this.store.lineEnd()
    if (at === -1) {
      if (this.store.size > maxLength) throw this.tooLong(maxLength)
      return undefined
    }
    if (at + 1 > maxLength) throw this.tooLong(maxLength)
    const line = this.store.takeLine(at)
    this.consumed()
    return line
  }

  private tooLong(maxLength: number): ProtocolError {
    const error = new ProtocolError(`line longer than the limit of ${maxLength} bytes`)
    this.fail(error)
    return error
  }

  /** After bytes arrived: pause the source above the high-water mark, wake the waiting read. */
  private received(): void {
    if (!this.paused && this.store.size >= this.highWaterMark) {
      this.paused = true
      this.source?.pause()
    }
    this.notify()
  }

  private consumed(): void {
    if (this.paused && this.store.size < this.highWaterMark / 2) {
      this.paused = false
      this.source?.resume()
    }
  }

  private notify(): void {
    const lineWait = this.lineWait
    if (lineWait !== undefined) this.serveLine(lineWait)
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
        else if (this.failure !== undefined && this.store.size === 0) reject(this.failure)
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

/** A promise rejected with what a synchronous step threw (a broken line limit's `ProtocolError`). */
async function rejectWithThrown(error: unknown): Promise<never> {
  throw error
}

function deadlineOf(options: ReadOptions): number | undefined {
  return options.timeout !== undefined && options.timeout > 0 ? Date.now() + options.timeout : undefined
}

/** abortErrorOf: the `AbortError` for a fired signal, its reason as the cause. */
export function abortErrorOf(signal: AbortSignal): AbortError {
  return new AbortError('the operation was aborted', { cause: signal.reason })
}
