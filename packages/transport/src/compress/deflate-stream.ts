import { Duplex } from 'node:stream'
import { constants, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib'
import { ConnectionError, ProtocolError } from '../errors/index.ts'

/**
 * DeflateStream: a duplex that speaks raw DEFLATE (RFC 1951) over another duplex, for COMPRESS DEFLATE
 * (NNTP RFC 8054; IMAP RFC 4978 is the same). What is written is deflated and flushed with Z_SYNC_FLUSH at
 * every write, so that a command never waits inside the compressor; what arrives is inflated. It is
 * symmetric: a client and a test server use the same class. Bytes that arrived before compression began
 * (`pending`) are inflated first: after `206 Compression active` everything on the wire is compressed.
 *
 * ```
 * C: COMPRESS DEFLATE
 * S: 206 Compression active
 * (from here on, both directions are raw DEFLATE)
 * ```
 * Above TLS when both are on: compress first, then encrypt (RFC 8054 section 2.2.2).
 */
export class DeflateStream extends Duplex {
  readonly #raw: Duplex
  readonly #inflate: InflateRaw
  readonly #deflate: DeflateRaw

  constructor(raw: Duplex, pending: Buffer = Buffer.alloc(0)) {
    super()
    this.#raw = raw
    this.#inflate = createInflateRaw()
    this.#deflate = createDeflateRaw()
    const inflate = this.#inflate
    inflate.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inflate.pause()
    })
    inflate.on('end', () => this.push(null))
    inflate.on('error', (error) => this.destroy(new ProtocolError(`COMPRESS: the server's data does not inflate: ${error.message}`, { cause: error })))
    this.#deflate.on('data', (chunk: Buffer) => raw.write(chunk))
    this.#deflate.on('error', (error) => this.destroy(error))
    if (pending.length > 0) inflate.write(pending)
    raw.on('data', (chunk: Buffer) => {
      if (!inflate.write(chunk)) raw.pause()
    })
    inflate.on('drain', () => raw.resume())
    let rawEnded = false
    raw.on('end', () => {
      rawEnded = true
      inflate.end()
    })
    raw.on('error', (error) => this.destroy(error))
    // A clean end lets the inflater finish what it holds; a close without one is a broken connection.
    raw.on('close', () => {
      if (!rawEnded && !this.destroyed) this.destroy(new ConnectionError('connection closed under COMPRESS'))
    })
    raw.resume()
  }

  /**
   * receive: compressed bytes from a raw socket that reads through `onread` (no `data` events), copied
   * (its read buffer is reused). Returns false when the inflater is full: the socket stops reading until
   * the inflater drains and resumes it.
   */
  receive(bytes: Uint8Array): boolean {
    return this.#inflate.write(Buffer.from(bytes))
  }

  /** The stream under the compression (plaintext or TLS socket). */
  get raw(): Duplex {
    return this.#raw
  }

  override _read(): void {
    this.#inflate.resume()
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#deflate.write(chunk)
    this.#deflate.flush(constants.Z_SYNC_FLUSH, () => callback())
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#deflate.end(() => {
      this.#raw.end()
      callback()
    })
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inflate.destroy()
    this.#deflate.destroy()
    this.#raw.destroy()
    callback(error)
  }
}
