/**
 * messageOf: the text of anything thrown, for a message of our own that wraps it (internal).
 *
 * ```ts
 * messageOf(new Error('ECONNRESET'))   // 'ECONNRESET'
 * messageOf('stalled')                 // 'stalled'
 * ```
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
