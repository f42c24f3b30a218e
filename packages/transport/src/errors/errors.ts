import { NetcError, type NetcErrorOptions } from './netc-error.ts'

/**
 * ConnectionError: the socket could not be opened, or it broke (`ECONNREFUSED`, `ECONNRESET`, EOF where
 * the protocol expected more). `cause` holds the system error. The connection is closed afterwards.
 */
export class ConnectionError extends NetcError {
  static override readonly kind: string = 'ConnectionError'
  override readonly code = 'ERR_NETC_CONNECTION'
}

/** The phase of a connection's life that a timeout struck in. */
export type TimeoutPhase = 'connect' | 'greeting' | 'reply' | 'data' | 'idle'

/**
 * TimeoutError: nothing arrived in time. `phase` says where: opening the socket (`connect`), waiting for
 * the server's first words (`greeting`), waiting for a reply (`reply`), during a transfer (`data`) or while
 * the connection sat idle (`idle`). The connection is closed afterwards.
 */
export class TimeoutError extends NetcError {
  static override readonly kind: string = 'TimeoutError'
  override readonly code = 'ERR_NETC_TIMEOUT'
  /** Where the timeout struck. */
  readonly phase: TimeoutPhase
  /** The limit that was exceeded, in milliseconds. */
  readonly timeout: number

  constructor(message: string, options: NetcErrorOptions & { phase: TimeoutPhase; timeout: number }) {
    super(message, options)
    this.phase = options.phase
    this.timeout = options.timeout
  }
}

/** TlsError: the TLS handshake failed or a certificate was refused (`cause` has the details). */
export class TlsError extends NetcError {
  static override readonly kind: string = 'TlsError'
  override readonly code = 'ERR_NETC_TLS'
}

/**
 * ProtocolError: the server said something the protocol does not allow: a malformed reply, a broken
 * limit (an oversized line), plaintext injected before a STARTTLS handshake. The connection is closed.
 */
export class ProtocolError extends NetcError {
  static override readonly kind: string = 'ProtocolError'
  override readonly code = 'ERR_NETC_PROTOCOL'
}

/**
 * ClosedError: the connection is closed, or closed while the call waited. `cause` is why it closed
 * (the error that broke it), absent when it was closed on purpose.
 */
export class ClosedError extends NetcError {
  static override readonly kind: string = 'ClosedError'
  override readonly code = 'ERR_NETC_CLOSED'
}

/**
 * AbortError: the caller's `AbortSignal` fired; `cause` is the signal's reason. Named `AbortError` as
 * Node's own aborted operations are.
 */
export class AbortError extends NetcError {
  static override readonly kind: string = 'AbortError'
  override readonly code = 'ERR_NETC_ABORTED'
}

/**
 * InvalidArgumentError: the caller passed something that cannot go on the wire: a CR, LF or NUL in a
 * command argument (command injection), an address with `<` or `>`, a bad URL. Thrown before anything is
 * written; the connection stays usable.
 */
export class InvalidArgumentError extends NetcError {
  static override readonly kind: string = 'InvalidArgumentError'
  override readonly code = 'ERR_NETC_INVALID_ARGUMENT'
}

/** InvalidStateError: the call does not fit the session's state (e.g. `retrieve` before login). */
export class InvalidStateError extends NetcError {
  static override readonly kind: string = 'InvalidStateError'
  override readonly code = 'ERR_NETC_INVALID_STATE'
}
