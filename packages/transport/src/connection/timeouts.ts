/**
 * Timeouts: how long each phase may take, in milliseconds (DESIGN.md principle 9: every operation has a
 * timeout). `0` turns one off. Clients accept a partial `timeouts` option over these defaults.
 */
export interface Timeouts {
  /** Opening the socket, and the TLS handshake of implicit TLS. */
  connect: number
  /** Waiting for the server's greeting. */
  greeting: number
  /** Waiting for one whole reply to a command (a slow drip does not extend it). */
  reply: number
  /** Silence during a transfer (a body, a data connection): the longest gap between two chunks. */
  data: number
  /** An unused connection is closed after this long (`0`: never). */
  idle: number
}

/** The defaults: 15 s to connect, 30 s for a greeting, 60 s for a reply or a silent transfer, no idle limit. */
export const defaultTimeouts: Readonly<Timeouts> = Object.freeze({
  connect: 15_000,
  greeting: 30_000,
  reply: 60_000,
  data: 60_000,
  idle: 0,
})
