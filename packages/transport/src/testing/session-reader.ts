import { ConnectionError, InvalidArgumentError, ProtocolError } from '../errors/index.ts'
import { ByteQueue } from './byte-queue.ts'

/** How the last line that `readLine` returned was ended: CRLF, a bare LF, or nothing (EOF). */
export type LineEnding = 'crlf' | 'lf' | 'none'

/** What a SessionReader needs from the session that feeds it. */
export interface SessionReaderHost {
  /** Starts the flow again when a read waits for bytes (the session pauses under backpressure). */
  resume(): void
  /** Ends the session after a broken limit; the read that broke it rejects with the same error. */
  fail(error: Error): void
}

const LF = Buffer.from('\n')
const NEED_MORE = Symbol('need more')
const noop = (): void => {}

/**
 * SessionReader: the pull-style reads of a TestSession (lines, counted bytes, bytes up to a terminator) over
 * the bytes the session pushes in, one read at a time in call order, each bounded by the session's limits.
 * The session owns the socket and its layers (TLS, CCC, COMPRESS); the reader only sees decrypted bytes.
 *
 * ```ts
 * reader.push(Buffer.from('EHLO client\r\n'))     // C: EHLO client
 * await reader.readLine('utf8')                   // → 'EHLO client'
 * ```
 */
export class SessionReader {
  /** How the last line `readLine` returned was ended (a fake may refuse bare LF, as after SMTP smuggling). */
  lastLineEnding: LineEnding = 'none'
  readonly #queue = new ByteQueue()
  readonly #wakers: Array<() => void> = []
  readonly #host: SessionReaderHost
  readonly #maxLineLength: number
  readonly #maxBufferedBytes: number
  #eof = false
  #readQueue: Promise<unknown> = Promise.resolve()

  constructor(host: SessionReaderHost, limits: { maxLineLength: number; maxBufferedBytes: number }) {
    this.#host = host
    this.#maxLineLength = limits.maxLineLength
    this.#maxBufferedBytes = limits.maxBufferedBytes
  }

  /** How many bytes have arrived and are unread. */
  get unread(): number {
    return this.#queue.length
  }

  /** True while a read waits for more bytes. */
  get waiting(): boolean {
    return this.#wakers.length > 0
  }

  /** push: bytes that arrived, kept by reference; wakes a waiting read. */
  push(chunk: Buffer): void {
    this.#queue.push(chunk)
    this.#wake()
  }

  /** end: no more bytes will come (EOF, close, destroy); waiting reads settle. */
  end(): void {
    this.#eof = true
    this.#wake()
  }

  /** reopen: bytes come again after an end that was not the connection's (a TLS close_notify before CCC). */
  reopen(): void {
    this.#eof = false
  }

  /** takeAll: every unread byte, removed from the reader (plaintext left over when TLS starts, COMPRESS). */
  takeAll(): Buffer {
    return this.#queue.takeAll()
  }

  /**
   * readLine: the next line without its line ending (CRLF, or a bare LF, tolerated: see `lastLineEnding`),
   * or undefined at EOF. A last line without an ending is returned as it is. A line longer than
   * `maxLineLength` rejects with ProtocolError and fails the session.
   */
  readLine(encoding: BufferEncoding): Promise<string | undefined> {
    let scanned = 0
    return this.#read(
      () => {
        const end = this.#queue.indexOf(LF, scanned)
        if (end === -1 || end + 1 > this.#maxLineLength) {
          if (this.#queue.length > this.#maxLineLength) throw new ProtocolError(`client line longer than ${this.#maxLineLength} bytes`)
          scanned = this.#queue.length
          return NEED_MORE
        }
        const raw = this.#queue.take(end + 1)
        const crlf = raw.length >= 2 && raw[raw.length - 2] === 0x0d
        this.lastLineEnding = crlf ? 'crlf' : 'lf'
        return raw.subarray(0, raw.length - (crlf ? 2 : 1)).toString(encoding)
      },
      () => {
        if (this.#queue.length === 0) return undefined
        this.lastLineEnding = 'none'
        return this.#queue.takeAll().toString(encoding)
      },
    )
  }

  /** readBytes: exactly `count` bytes; undefined at EOF with nothing unread, ConnectionError at EOF midway. */
  readBytes(count: number): Promise<Buffer | undefined> {
    if (!Number.isInteger(count) || count < 0 || count > this.#maxBufferedBytes) {
      return Promise.reject(new InvalidArgumentError(`readBytes(${count}): want 0 to ${this.#maxBufferedBytes} bytes`))
    }
    return this.#read(
      () => (this.#queue.length >= count ? this.#queue.take(count) : NEED_MORE),
      () => this.#partialAtEof(`${count} bytes`),
    )
  }

  /**
   * readUntil: the bytes up to `needle` (consumed; `include` keeps it), e.g. a DATA body up to `\r\n.\r\n`
   * (RFC 5321 section 4.1.1.4). Undefined at EOF with nothing unread.
   */
  readUntil(needle: Buffer, include: boolean): Promise<Buffer | undefined> {
    if (needle.length === 0) return Promise.reject(new InvalidArgumentError('readUntil: empty terminator'))
    let scanned = 0
    return this.#read(
      () => {
        const at = this.#queue.indexOf(needle, scanned)
        if (at === -1) {
          if (this.#queue.length > this.#maxBufferedBytes) throw new ProtocolError(`more than ${this.#maxBufferedBytes} bytes before the terminator`)
          scanned = Math.max(0, this.#queue.length - needle.length + 1)
          return NEED_MORE
        }
        const taken = this.#queue.take(at + needle.length)
        return include ? taken : taken.subarray(0, at)
      },
      () => this.#partialAtEof('the terminator'),
    )
  }

  #read<T>(attempt: () => T | typeof NEED_MORE, atEof: () => T): Promise<T> {
    const run = this.#readQueue.then(async () => {
      for (;;) {
        let result: T | typeof NEED_MORE
        try {
          result = attempt()
        } catch (error) {
          this.#host.fail(error as Error)
          throw error
        }
        if (result !== NEED_MORE) return result
        if (this.#eof) return atEof()
        this.#host.resume()
        await new Promise<void>((resolve) => this.#wakers.push(resolve))
      }
    })
    this.#readQueue = run.catch(noop)
    return run
  }

  #partialAtEof(wanted: string): undefined {
    if (this.#queue.length === 0) return undefined
    throw new ConnectionError(`the client closed the connection with ${this.#queue.length} bytes unread, before ${wanted}`)
  }

  #wake(): void {
    for (const wake of this.#wakers.splice(0)) wake()
  }
}
