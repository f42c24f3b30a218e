import { Command, type Connection } from '@netc/transport'
import type { Pop3Capabilities } from './parse-capabilities.ts'
import { parseScanTable, parseUniqueIdTable, type ScanTable, type UniqueIdTable } from './parse-listing-tables.ts'
import type { Pop3OperationOptions } from './pop3-client-options.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'
import { sendCommand } from './read-status.ts'
import { BodyPool } from './body-pool.ts'
import { RetrievalWindow } from './retrieval-window.ts'

/** RetrieveAllOptions: what `retrieveAll` fetches, and how. */
export interface RetrieveAllOptions extends Pop3OperationOptions {
  /** Mark each message for deletion once the loop has moved past it; the deletion commits at `close()` (QUIT). */
  delete?: boolean
  /** Unique ids already fetched: those messages are skipped (needs UIDL). */
  since?: Iterable<string>
  /**
   * How many messages may be in flight (RETR sent, message not yet handed to the loop) when the server
   * offers PIPELINING; default 64 (`windowBytes` bounds the memory). A read of 64 KiB holds about 15
   * messages of 4 KiB: a window of 16 drained at every read and left the server idle until the next RETRs
   * arrived. Without PIPELINING, one.
   */
  window?: number
  /**
   * How many octets (by the sizes LIST announced) may be in flight at once; default 4 MiB. One message is
   * always fetched, however large, so the bodies held stay under about `windowBytes` (or the largest
   * message, when larger) plus the message in the loop's hands.
   */
  windowBytes?: number
  /**
   * Read the bodies into recycled memory: each message's `body` is valid only until the loop asks for the
   * next message, when its memory goes to a later body. For loops that parse, hash or store each message
   * and keep no reference to its body (copy it with `Buffer.from(body)` to keep it): memory then stays at
   * the window's bodies, instead of growing with dead bodies the garbage collector frees late (V8 frees
   * young Buffers' memory only after tens of MiB of them).
   */
  reuseBodies?: boolean
}

/** The default `window`: 64 messages in flight. */
const DEFAULT_WINDOW = 64

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

/** What retrieveAll needs of the client (in the TRANSACTION state). */
export interface RetrieveAllHost {
  readonly connection: Connection
  readonly capabilities: Pop3Capabilities
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
  const listing = parseScanTable(await readListing(host.connection, 'LIST', signal))
  const uids = await uniqueIds(host, options)
  const targets = options.since === undefined || uids === undefined ? listing : skipKnown(listing, uids, new Set(options.since))
  const pipelining = host.capabilities.pipelining
  const window = pipelining ? Math.max(1, Math.floor(options.window ?? DEFAULT_WINDOW)) : 1
  const windowBytes = Math.max(0, options.windowBytes ?? DEFAULT_WINDOW_BYTES)
  const pool = options.reuseBodies === true ? new BodyPool(window + 1) : undefined
  const allocate = pool && ((size: number) => pool.allocate(size))
  const retrievals = new RetrievalWindow(host.connection, targets, { pipelining, window, windowBytes, signal, allocate })
  try {
    for (;;) {
      const next = retrievals.takeReady() ?? (await retrievals.take())
      if (next === undefined) break
      const { number, size, body, memory } = next
      yield { number, uid: uids?.uidOf(number), size, body }
      // The loop asked for the next message: this body's memory may hold a later one.
      if (memory !== undefined) pool?.recycle(memory)
      if (options.delete === true) retrievals.passed(number)
    }
  } finally {
    // Also when the loop broke or threw: the replies owed are read, and the messages it moved past deleted.
    await retrievals.finish()
  }
}

/** The unstuffed body of a multi-line LIST or UIDL answer, bounded by `limits.maxListingBytes`. */
function readListing(connection: Connection, verb: 'LIST' | 'UIDL', signal: AbortSignal | undefined): Promise<Buffer> {
  return connection.run(async (io) => {
    await sendCommand(io, Command.of(verb))
    return io.readDotBodyBuffer({ maxBytes: io.limits.maxListingBytes })
  }, { signal })
}

async function uniqueIds(host: RetrieveAllHost, options: RetrieveAllOptions): Promise<UniqueIdTable | undefined> {
  try {
    return parseUniqueIdTable(await readListing(host.connection, 'UIDL', options.signal))
  } catch (error) {
    // Without `since`, a server without UIDL still serves the messages, without ids.
    if (Pop3ReplyError.isInstance(error) && options.since === undefined) return undefined
    throw error
  }
}

/** The listing less the messages whose unique id is in `known`. */
function skipKnown(listing: ScanTable, uids: UniqueIdTable, known: ReadonlySet<string>): ScanTable {
  if (known.size === 0) return listing
  const numbers = new Float64Array(listing.count)
  const sizes = new Float64Array(listing.count)
  let count = 0
  for (let i = 0; i < listing.count; i++) {
    const number = listing.numbers[i] as number
    if (known.has(uids.uidOf(number) ?? '')) continue
    numbers[count] = number
    sizes[count++] = listing.sizes[i] as number
  }
  return { count, numbers: numbers.subarray(0, count), sizes: sizes.subarray(0, count) }
}
