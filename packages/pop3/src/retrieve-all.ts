import type { Connection } from '@netc/transport'
import type { Pop3Capabilities } from './parse-capabilities.ts'
import type { Pop3ScanListing, Pop3UniqueIdListing } from './parse-listings.ts'
import type { Pop3OperationOptions } from './pop3-client-options.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'
import { RetrievalWindow } from './retrieval-window.ts'

/** RetrieveAllOptions: what `retrieveAll` fetches, and how. */
export interface RetrieveAllOptions extends Pop3OperationOptions {
  /** Mark each message for deletion once the loop has moved past it; the deletion commits at `close()` (QUIT). */
  delete?: boolean
  /** Unique ids already fetched: those messages are skipped (needs UIDL). */
  since?: Iterable<string>
  /**
   * How many messages may be in flight (RETR sent, message not yet handed to the loop) when the server
   * offers PIPELINING; default 16. Without PIPELINING, one.
   */
  window?: number
  /**
   * How many octets (by the sizes LIST announced) may be in flight at once; default 4 MiB. One message is
   * always fetched, however large, so the bodies held stay under about `windowBytes` (or the largest
   * message, when larger) plus the message in the loop's hands.
   */
  windowBytes?: number
}

/** The default `windowBytes`: 4 MiB of message bodies in flight. */
export const DEFAULT_WINDOW_BYTES = 4 * 1024 * 1024

/** RetrievedMessage: one message of `retrieveAll`. */
export interface RetrievedMessage {
  number: number
  /** The unique id (UIDL), or undefined when the server has no UIDL. */
  uid: string | undefined
  /** The size LIST announced, in octets. */
  size: number
  body: Buffer
}

/** What retrieveAll needs of the client. */
export interface RetrieveAllHost {
  readonly connection: Connection
  readonly capabilities: Pop3Capabilities
  list(options?: Pop3OperationOptions): Promise<Pop3ScanListing[]>
  uidl(options?: Pop3OperationOptions): Promise<Pop3UniqueIdListing[]>
}

/**
 * retrieveAll: every message of the maildrop (or those not in `since`), in order, as an async iterator.
 * With PIPELINING (RFC 2449 section 6.6) RETR go out several to a write and their answers are read in
 * order, so the mailbox streams at the server's pace instead of one round trip per message; without it,
 * one command at a time. The window slides: a message is in flight from its RETR until the loop gets it,
 * at most `window` messages and `windowBytes` octets (by LIST size, one message always) are in flight, and
 * each message the loop takes lets the next RETR go. With `delete`, a message's DELE goes out with a later
 * RETR (or at the end) once the loop has asked for the message after it: a loop that breaks or throws
 * leaves its current message (and those after it) in place.
 *
 * ```
 * C: RETR 1\r\nRETR 2\r\nRETR 3\r\n        (one write)
 * S: +OK ... .                             (the loop takes message 1)
 * C: DELE 1\r\nRETR 4\r\n
 * ```
 */
export async function* retrieveAll(host: RetrieveAllHost, options: RetrieveAllOptions = {}): AsyncGenerator<RetrievedMessage, void, undefined> {
  const { signal } = options
  const listing = await host.list({ signal })
  const uids = await uniqueIds(host, options)
  const skip = new Set(options.since ?? [])
  const targets = listing.filter((entry) => skip.size === 0 || !skip.has(uids.get(entry.number) ?? ''))
  const pipelining = host.capabilities.pipelining
  const window = pipelining ? Math.max(1, Math.floor(options.window ?? 16)) : 1
  const windowBytes = Math.max(0, options.windowBytes ?? DEFAULT_WINDOW_BYTES)
  const retrievals = new RetrievalWindow(host.connection, targets, { pipelining, window, windowBytes, signal })
  try {
    for (;;) {
      const next = await retrievals.take()
      if (next === undefined) break
      const { entry, body } = next
      yield { number: entry.number, uid: uids.get(entry.number), size: entry.size, body }
      if (options.delete === true) retrievals.passed(entry.number)
    }
  } finally {
    // Also when the loop broke or threw: the replies owed are read, and the messages it moved past deleted.
    await retrievals.finish()
  }
}

async function uniqueIds(host: RetrieveAllHost, options: RetrieveAllOptions): Promise<Map<number, string>> {
  try {
    const listing = await host.uidl({ signal: options.signal })
    return new Map(listing.map((entry) => [entry.number, entry.uid]))
  } catch (error) {
    // Without `since`, a server without UIDL still serves the messages, without ids.
    if (Pop3ReplyError.isInstance(error) && options.since === undefined) return new Map()
    throw error
  }
}
