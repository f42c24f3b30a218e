import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import type { Duplex } from 'node:stream'

/**
 * ServerFaults: what a fake server does wrong, applied at the socket to everything a session writes
 * (DESIGN.md, tests layer 3). Byte counts are of the protocol's bytes: after `upgradeTls()` they count
 * the plaintext written into TLS, and each piece of a split write is its own TLS record.
 *
 * ```ts
 * await TestServer.start({ faults: { splitWrites: 'byte' }, onSession })   // replies split at every byte
 * await TestServer.start({ faults: { closeAfterBytes: 10 }, onSession })   // EOF in the middle of a reply
 * ```
 */
export interface ServerFaults {
  /**
   * Send every write one byte (or N bytes) at a time, each piece its own socket write (Nagle off), with a
   * turn of the event loop in between, so the client's reads see the reply split at every boundary.
   */
  splitWrites?: 'byte' | number
  /** Destroy the connection once this many bytes have been sent (0: at the first write, before any byte). */
  closeAfterBytes?: number
  /** Send nothing more after this many bytes, keeping the socket open (the client must time out). */
  stallAfterBytes?: number
  /** Bytes sent before the first write's data (a banner from the wrong service, line noise). */
  garbage?: Buffer
  /** Accept each TCP connection and close it at once, before any TLS handshake or greeting. */
  acceptThenClose?: boolean
  /** Wait this long before each write, in milliseconds (a slow server). */
  delayMs?: number
  /**
   * Nagle's algorithm against a client that delays its ACKs, without the 40 ms timer: a write made while
   * an earlier one is unacknowledged (the client has sent nothing since) waits until the client sends
   * again; the writes waiting then go out together. INN writes a reply's status line and its block apart,
   * so a client that waits for the block before it sends anything waits for good (for 40 ms on a real
   * link).
   */
  nagle?: boolean
}

/** What a FaultyWriter did with a write: sent it all, or hit closeAfterBytes or stallAfterBytes. */
export type WriteOutcome = 'sent' | 'closed' | 'stalled'

/**
 * FaultyWriter: the write path of one session, which applies its ServerFaults. Internal to ./testing.
 * `write` resolves once the bytes are handed to the kernel (or the socket has closed); on `'closed'` the
 * caller destroys the connection.
 */
export class FaultyWriter {
  readonly #faults: ServerFaults
  readonly #signal: AbortSignal
  #bytesSent = 0
  #first = true
  #stalled = false
  /** `nagle`: how many times the client has sent bytes, whether the last write is unacknowledged, and the writes held. */
  #acks = 0
  #unacked = false
  #held: Array<() => void> = []

  constructor(faults: ServerFaults, signal: AbortSignal) {
    this.#faults = faults
    this.#signal = signal
  }

  /** Bytes handed to the socket so far (after faults). */
  get bytesSent(): number {
    return this.#bytesSent
  }

  /** How many times the client has sent bytes (for `issuedAt`). */
  get acks(): number {
    return this.#acks
  }

  /** acknowledge: the client sent bytes, which carry its ACK of everything sent before (`nagle`). */
  acknowledge(): void {
    this.#acks++
    this.#unacked = false
    for (const release of this.#held.splice(0)) release()
  }

  /**
   * Writes `data` to `socket` with the faults applied; `onSent` sees each piece that went out. `issuedAt`
   * is `acks` when the session was asked to write: under `nagle`, a write waits while an earlier one is
   * unacknowledged, unless the client has sent since it was asked for.
   */
  async write(socket: Duplex, data: Buffer, onSent: (piece: Buffer) => void, issuedAt = this.#acks): Promise<WriteOutcome> {
    const { delayMs, garbage, splitWrites, closeAfterBytes, stallAfterBytes, nagle } = this.#faults
    if (nagle === true && this.#unacked && this.#acks <= issuedAt) {
      await new Promise<void>((resolve) => {
        this.#held.push(resolve)
        this.#signal.addEventListener('abort', () => resolve(), { once: true })
      })
      if (this.#signal.aborted) return 'closed'
    }
    if (delayMs !== undefined && delayMs > 0) {
      try {
        await sleep(delayMs, undefined, { signal: this.#signal })
      } catch {
        return 'closed'
      }
    }
    if (this.#stalled) return 'stalled'
    let buffer = data
    if (this.#first && garbage !== undefined) buffer = Buffer.concat([garbage, data])
    this.#first = false
    let outcome: WriteOutcome = 'sent'
    if (stallAfterBytes !== undefined && this.#bytesSent + buffer.length >= stallAfterBytes) {
      buffer = buffer.subarray(0, Math.max(0, stallAfterBytes - this.#bytesSent))
      outcome = 'stalled'
    }
    if (closeAfterBytes !== undefined && this.#bytesSent + buffer.length >= closeAfterBytes) {
      buffer = buffer.subarray(0, Math.max(0, closeAfterBytes - this.#bytesSent))
      outcome = 'closed'
    }
    const size = splitWrites === undefined ? buffer.length : splitWrites === 'byte' ? 1 : Math.max(1, splitWrites)
    for (let offset = 0; offset < buffer.length; offset += size) {
      // A turn of the event loop before each piece (the first too: a client that has only just connected
      // starts reading in its next turn), so that each piece arrives on its own.
      if (splitWrites !== undefined) await nextTurn()
      if (this.#signal.aborted || socket.destroyed) return 'closed'
      const piece = buffer.subarray(offset, offset + size)
      await writeAndFlush(socket, piece)
      this.#bytesSent += piece.length
      onSent(piece)
    }
    if (outcome === 'stalled') this.#stalled = true
    if (nagle === true && buffer.length > 0) this.#unacked = true
    return outcome
  }
}

/** Writes `piece` and resolves when it is flushed to the kernel, or when the socket closes or fails. */
function writeAndFlush(socket: Duplex, piece: Buffer): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      socket.off('close', done)
      resolve()
    }
    socket.once('close', done)
    socket.write(piece, () => done())
  })
}
