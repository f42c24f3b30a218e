import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import { DeflateStream } from '../compress/deflate-stream.ts'
import { InvalidStateError, ProtocolError } from '../errors/index.ts'
import type { ByteReader } from '../io/byte-reader.ts'
import { shutdownTls } from './shutdown-tls.ts'
import { startTls, type TlsSettings } from './start-tls.ts'
import type { Timeouts } from './timeouts.ts'
import { TlsCarrier } from './tls-carrier.ts'

/** What a connection's layers need from the Connection they belong to. */
export interface LayersHost {
  /** The connection's reader: each layer change moves it to the new top stream. */
  readonly reader: ByteReader
  /** The server's name, checked against its certificate. */
  readonly host: string
  /** The connection's TLS settings, under those of each upgrade. */
  readonly tlsSettings: TlsSettings
  /** The handshake gets `connect`; CCC's close_notify exchange `reply`. */
  readonly timeouts: Timeouts
  /** A new stream is on top (TLS socket, compressor): the connection watches its events. */
  watch(stream: Duplex): void
  /** A line for the debug transcript. */
  note(line: string): void
}

/**
 * ConnectionLayers: the streams one connection reads and writes through, bottom to top: the TCP socket (or
 * the proxy's stream), TLS (implicit, or started by STARTTLS / AUTH TLS), and COMPRESS DEFLATE. It adds and
 * removes layers and keeps the reader on the top one; the Connection owns the rest.
 *
 * ```ts
 * await layers.startTls(undefined, signal, false)   // after S: 220 Ready to start TLS (RFC 3207)
 * layers.startCompression()                          // after S: 206 Compression active (RFC 8054)
 * layers.top                                         // the DeflateStream over the TLSSocket
 * ```
 */
export class ConnectionLayers {
  /** The stream that is read and written: the socket, the TLS socket, or the compressor. */
  top: Duplex
  /** The TLS socket while TLS is on. */
  tls: TLSSocket | undefined
  /** Between the TCP socket and the TLS socket when TLS was started unwrappable (FTP CCC, RFC 4217 section 6). */
  carrier: TlsCarrier | undefined
  /** True once COMPRESS DEFLATE is on. */
  compressed = false
  readonly #host: LayersHost

  constructor(socket: Duplex, host: LayersHost) {
    this.top = socket
    this.#host = host
    if ((socket as Partial<TLSSocket>).encrypted === true) this.tls = socket as TLSSocket
  }

  /**
   * startTls: the client side of STARTTLS (RFC 3207, RFC 2595, RFC 4642) and AUTH TLS (RFC 4217), after
   * the server's go-ahead. Plaintext that came after the go-ahead is an injection (CVE-2011-0411) and
   * refused. `unwrappable` runs TLS over a carrier so that `endTls` can remove it.
   */
  async startTls(settings: TlsSettings | undefined, signal: AbortSignal | undefined, unwrappable: boolean): Promise<void> {
    if (this.tls !== undefined) throw new InvalidStateError('the connection is already secure')
    if (this.compressed) throw new InvalidStateError('TLS cannot start under COMPRESS (RFC 8054 section 2.2.2)')
    const reader = this.#host.reader
    const early = reader.detach()
    if (early.length > 0) {
      throw new ProtocolError(`the server sent ${early.length} bytes after its STARTTLS reply, before the TLS handshake (injection)`)
    }
    const plain = this.top
    // Unwrappable: TLS over a carrier (a JS stream) instead of the socket's handle, so that it can be removed.
    const carrier = unwrappable ? new TlsCarrier(plain) : undefined
    if (carrier !== undefined) reader.divert((bytes) => carrier.receive(bytes))
    const secure = await startTls(carrier ?? plain, { ...this.#host.tlsSettings, ...settings }, {
      host: this.#host.host,
      timeout: this.#host.timeouts.connect,
      signal,
    })
    this.top = secure
    this.tls = secure
    this.carrier = carrier
    this.#host.watch(secure)
    reader.attach(secure)
  }

  /**
   * endTls: the client side of CCC's TLS shutdown (RFC 4217 section 6): close_notify both ways, then the
   * TCP socket is the top again. What TLS delivered unread, then the plaintext after the server's
   * close_notify, stay first in line for the next read.
   */
  async endTls(signal: AbortSignal | undefined): Promise<void> {
    const tls = this.tls
    const carrier = this.carrier
    if (tls === undefined) throw new InvalidStateError('the connection is not secure: there is no TLS to end')
    if (carrier === undefined) throw new InvalidStateError('this TLS cannot be removed: start it with { unwrappable: true }')
    if (this.compressed) throw new InvalidStateError('TLS cannot end under COMPRESS')
    const reader = this.#host.reader
    const early = await shutdownTls(tls, carrier, { timeout: this.#host.timeouts.reply, signal })
    const pending = Buffer.concat([reader.detach(), early])
    reader.divert(undefined)
    this.top = carrier.raw
    this.tls = undefined
    this.carrier = undefined
    reader.attach(carrier.raw)
    if (pending.length > 0) reader.unshift(pending)
    this.#host.note('-- TLS ended: plaintext from here')
  }

  /** startCompression: COMPRESS DEFLATE (RFC 8054) on top, after the server's `206`. */
  startCompression(): void {
    if (this.compressed) throw new InvalidStateError('COMPRESS is already active')
    const reader = this.#host.reader
    // Unlike STARTTLS, bytes that came after the go-ahead are not an injection: they are the first
    // compressed bytes (a server may send its next reply at once), so they go to the inflater.
    const stream = new DeflateStream(this.top, reader.detach())
    // A socket that reads through `onread` has no `data` events: its reads go to the inflater this way.
    reader.divert((bytes) => stream.receive(bytes))
    this.top = stream
    this.compressed = true
    this.#host.watch(stream)
    reader.attach(stream)
    this.#host.note('-- COMPRESS DEFLATE')
  }
}
