import { Duplex } from 'node:stream'

/** TLS record content types (RFC 8446 section 5.1, RFC 5246 section 6.2.1): 20 change_cipher_spec to 24 heartbeat. */
const isRecordType = (byte: number): boolean => byte >= 20 && byte <= 24

/** Held plaintext above which the raw socket stops reading until `release()` (a peer that talks without waiting). */
const MAX_HELD_BYTES = 64 * 1024

/**
 * TlsCarrier: a duplex between a raw socket and the TLS socket put on it (`tls.connect({ socket: carrier })`
 * or a server `TLSSocket`), so that the TLS layer can be removed again and the same TCP connection used in
 * plaintext: FTP's CCC (RFC 4217 section 6). A TLS socket put straight on a `net.Socket` takes over its
 * handle and never gives the connection back; over a carrier it only sees the carrier.
 *
 * ```
 * C: CCC                       (TLS)
 * S: 200 CCC OK                (TLS)        → carrier.beginShutdown(); tls.end(); await tls 'end'
 * <close_notify both ways>                  → const early = carrier.release(); raw is plaintext again
 * C: PWD                       (plaintext)
 * ```
 * It follows the TLS record framing (5-byte headers) of what it carries. After `beginShutdown()`, a byte at
 * a record boundary that cannot start a record (a content type outside 20..24: any text command) is the
 * peer's first plaintext, sent right after its close_notify: it is held back from TLS and returned by
 * `release()`, so that no byte is lost or reordered. The end of the TLS socket (its close_notify sent) does
 * not end the raw socket unless `endGracefully()` said so; destroying the carrier destroys the raw socket
 * until `release()`. A socket that reads through `onread` has no `data` events: feed its reads to `receive`.
 */
export class TlsCarrier extends Duplex {
  readonly #raw: Duplex
  #released = false
  #closing = false
  #forwardEnd = false
  #rawEnded = false
  #headerSeen = 0
  #recordLength = 0
  #bodyLeft = 0
  readonly #held: Buffer[] = []
  #heldBytes = 0

  readonly #onData = (chunk: Buffer): void => {
    if (!this.#take(chunk)) this.#raw.pause()
  }

  readonly #onEnd = (): void => {
    this.#rawEnded = true
    this.push(null)
  }

  readonly #onError = (error: Error): void => {
    this.destroy(error)
  }

  readonly #onClose = (): void => {
    if (!this.destroyed) this.destroy()
  }

  constructor(raw: Duplex) {
    super()
    this.#raw = raw
    raw.on('data', this.#onData)
    raw.on('end', this.#onEnd)
    raw.on('error', this.#onError)
    raw.on('close', this.#onClose)
    raw.resume()
  }

  /** The socket under the TLS: the connection's plaintext socket again after `release()`. */
  get raw(): Duplex {
    return this.#raw
  }

  /** True once the raw socket has ended (the peer's FIN): a TLS shutdown that ends with it left no connection. */
  get rawEnded(): boolean {
    return this.#rawEnded
  }

  /** True after `release()`. */
  get released(): boolean {
    return this.#released
  }

  /**
   * receive: bytes that a raw socket read through `onread` (copied: its buffer is reused). Returns false
   * when the TLS side is full: the socket stops reading until the carrier resumes it.
   */
  receive(bytes: Uint8Array): boolean {
    return this.#take(Buffer.from(bytes))
  }

  /**
   * beginShutdown: the TLS session is being closed (CCC accepted): from the next record boundary on, bytes
   * that are not a TLS record are the peer's plaintext and are held for `release()`.
   */
  beginShutdown(): void {
    this.#closing = true
  }

  /** endGracefully: the TLS socket's end (after its close_notify) ends the raw socket too (a close, not a CCC). */
  endGracefully(): void {
    this.#forwardEnd = true
  }

  /**
   * release: after both close_notify alerts (the TLS socket's 'end'): stops carrying, leaves the raw socket
   * open and paused, and returns the plaintext the peer sent after its close_notify (usually nothing).
   */
  release(): Buffer {
    if (!this.#released) {
      this.#released = true
      const raw = this.#raw
      raw.off('data', this.#onData)
      raw.off('end', this.#onEnd)
      raw.off('error', this.#onError)
      raw.off('close', this.#onClose)
      raw.pause()
    }
    const held = Buffer.concat(this.#held)
    this.#held.length = 0
    this.#heldBytes = 0
    return held
  }

  override _read(): void {
    if (!this.#released) this.#raw.resume()
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // After release the TLS session is over (both close_notify sent): nothing of it may reach the plaintext.
    if (this.#released) return callback()
    this.#raw.write(chunk, callback)
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.#released && this.#forwardEnd) this.#raw.end()
    callback()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#released) this.#raw.destroy()
    callback(error)
  }

  /** Pushes the TLS part of `chunk` and holds what follows the peer's last record once shutting down. */
  #take(chunk: Buffer): boolean {
    if (this.#released || this.#heldBytes > 0) return this.#hold(chunk)
    const at = this.#scan(chunk)
    if (at === -1) return this.push(chunk)
    if (at > 0) this.push(chunk.subarray(0, at))
    return this.#hold(chunk.subarray(at))
  }

  #hold(bytes: Buffer): boolean {
    this.#held.push(bytes)
    this.#heldBytes += bytes.length
    return this.#heldBytes < MAX_HELD_BYTES
  }

  /** Follows the record framing through `chunk`; the offset where plaintext starts (shutting down), else -1. */
  #scan(chunk: Buffer): number {
    let i = 0
    while (i < chunk.length) {
      if (this.#bodyLeft > 0) {
        const skip = Math.min(this.#bodyLeft, chunk.length - i)
        this.#bodyLeft -= skip
        i += skip
        continue
      }
      const byte = chunk[i] as number
      if (this.#headerSeen === 0 && this.#closing && !isRecordType(byte)) return i
      if (this.#headerSeen === 3) this.#recordLength = byte << 8
      else if (this.#headerSeen === 4) this.#recordLength |= byte
      this.#headerSeen++
      i++
      if (this.#headerSeen === 5) {
        this.#headerSeen = 0
        this.#bodyLeft = this.#recordLength
      }
    }
    return -1
  }
}
