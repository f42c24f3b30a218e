/**
 * Limits: every bound that netc's readers enforce, in one place (DESIGN.md principle 6). Breaking one is
 * a `ProtocolError` and the connection closes; it is never an out-of-memory. Each client accepts a
 * partial `limits` option that overrides these defaults.
 */
export interface Limits {
  /**
   * The longest line a reader accepts, CRLF included. RFC 5321 section 4.5.3.1.5 allows 512 octets for a
   * reply line, RFC 3977 section 3.1 512 for a status line; overview and LIST lines and message bodies run
   * longer in practice (RFC 5322 allows 998 octets, real mail breaks it), so the default is generous.
   */
  maxLineLength: number
  /** The most lines one multi-line coded reply may have (an EHLO or FEAT list, a HELP text). */
  maxReplyLines: number
  /** The most bytes one multi-line coded reply may have, all lines together. */
  maxReplyBytes: number
  /** The most bytes a caller may buffer from a dot-terminated body read whole (streams are unbounded). */
  maxBufferedBodyBytes: number
  /** The most bytes a directory listing or an overview read whole may hold. */
  maxListingBytes: number
}

/** The defaults: a 64 KiB line (basic-ftp's bound), 1,000 reply lines, 1 MiB replies, 256 MiB buffered bodies. */
export const defaultLimits: Readonly<Limits> = Object.freeze({
  maxLineLength: 64 * 1024,
  maxReplyLines: 1000,
  maxReplyBytes: 1024 * 1024,
  maxBufferedBodyBytes: 256 * 1024 * 1024,
  maxListingBytes: 64 * 1024 * 1024,
})

/** resolveLimits: the defaults, with the caller's overrides on top. */
export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return { ...defaultLimits, ...overrides }
}
