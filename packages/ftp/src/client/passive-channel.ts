import type { Duplex } from 'node:stream'
import { secureDataSocket, type DataTlsOptions } from '@netc/transport'
import type { DataChannel } from './data-channel.ts'

/**
 * PassiveChannel: an open passive data connection (RFC 959 section 3.2, RFC 2428 EPSV). A plain one is
 * `ready` at once; with PROT P (RFC 4217) its TLS starts in `socket()`, after the command's 150, since
 * servers begin their side of the handshake only then.
 *
 * ```ts
 * // C: EPSV  S: 229 (|||42131|)  (connect)  C: RETR dave.txt  S: 150 ...
 * const channel = new PassiveChannel(socket, false, undefined, '127.0.0.1', 15_000, undefined)
 * const data = channel.ready ?? (await channel.socket())
 * ```
 */
export class PassiveChannel implements DataChannel {
  readonly ready: Duplex | undefined
  readonly commandSent: boolean
  readonly #raw: Duplex
  #socket: Duplex
  readonly #tls: DataTlsOptions | undefined
  readonly #host: string
  readonly #timeout: number
  readonly #signal: AbortSignal | undefined

  constructor(raw: Duplex, commandSent: boolean, tls: DataTlsOptions | undefined, host: string, timeout: number, signal: AbortSignal | undefined) {
    raw.on('error', noop)
    this.#raw = raw
    this.#socket = raw
    this.commandSent = commandSent
    this.ready = tls === undefined ? raw : undefined
    this.#tls = tls
    this.#host = host
    this.#timeout = timeout
    this.#signal = signal
  }

  async socket(): Promise<Duplex> {
    if (this.#tls === undefined) return this.#raw
    this.#socket = await secureDataSocket(this.#raw, this.#tls, { host: this.#host, timeout: this.#timeout, signal: this.#signal })
    this.#socket.on('error', noop)
    return this.#socket
  }

  close(): void {
    this.#socket.destroy()
    this.#raw.destroy()
  }
}

function noop(): void {}
