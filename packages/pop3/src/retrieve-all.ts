import { Command, type Connection, type ConnectionIo } from '@netc/transport'
import type { Pop3Capabilities } from './parse-capabilities.ts'
import type { Pop3ScanListing, Pop3UniqueIdListing } from './parse-listings.ts'
import type { Pop3OperationOptions } from './pop3-client-options.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'
import { readStatus, sendCommand } from './read-status.ts'

/** RetrieveAllOptions: what `retrieveAll` fetches, and how. */
export interface RetrieveAllOptions extends Pop3OperationOptions {
  /** Mark each message for deletion once the loop has moved past it; the deletion commits at `close()` (QUIT). */
  delete?: boolean
  /** Unique ids already fetched: those messages are skipped (needs UIDL). */
  since?: Iterable<string>
  /** How many RETR (and DELE) are in flight at once when the server offers PIPELINING; default 16. */
  window?: number
}

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
 * With PIPELINING (RFC 2449 section 6.6) up to `window` RETR go out in one write and their answers are
 * read in order, so the mailbox streams at the server's pace instead of one round trip per message;
 * without it, one command at a time. The next batch is fetched while the loop works on the current one,
 * so at most two windows of bodies are held in memory. With `delete`, a message's DELE goes out with a
 * later batch, once the loop asked for the message after it: a loop that breaks or throws leaves its
 * current message (and those after it) in place.
 *
 * ```
 * C: RETR 1\r\nRETR 2\r\nRETR 3\r\n        (one write)
 * S: +OK ... . +OK ... . +OK ... .         (read in order)
 * ```
 */
export async function* retrieveAll(host: RetrieveAllHost, options: RetrieveAllOptions = {}): AsyncGenerator<RetrievedMessage, void, undefined> {
  const { signal } = options
  const listing = await host.list({ signal })
  const uids = await uniqueIds(host, options)
  const skip = new Set(options.since ?? [])
  const targets = listing.filter((entry) => skip.size === 0 || !skip.has(uids.get(entry.number) ?? ''))
  const window = host.capabilities.pipelining ? Math.max(1, Math.floor(options.window ?? 16)) : 1
  let deletions: number[] = []
  const send = (batch: readonly Pop3ScanListing[]): Promise<Buffer[]> => {
    const deleting = deletions
    deletions = []
    const sent = host.connection.run((io) => exchange(io, deleting, batch, host.capabilities.pipelining), { signal })
    sent.catch(() => undefined) // awaited below; this only keeps an early exit from leaving it unhandled
    return sent
  }
  let next: Promise<Buffer[]> | undefined = targets.length > 0 ? send(targets.slice(0, window)) : undefined
  try {
    for (let start = 0; next !== undefined; start += window) {
      const batch = targets.slice(start, start + window)
      const bodies = await next
      // Prefetch: the next batch goes on the wire while the loop works on this one.
      const following = targets.slice(start + window, start + 2 * window)
      next = following.length > 0 ? send(following) : undefined
      for (const [index, entry] of batch.entries()) {
        yield { number: entry.number, uid: uids.get(entry.number), size: entry.size, body: bodies[index] ?? Buffer.alloc(0) }
        if (options.delete === true) deletions.push(entry.number)
      }
    }
  } finally {
    // Also when the loop broke or threw: the messages it moved past were handled.
    await next?.catch(() => undefined)
    if (deletions.length > 0 && !host.connection.closed) await send([])
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

/**
 * exchange: DELE for each of `deletions`, then RETR for each of `batch`: in one write when pipelining,
 * else one at a time. Every answer is read even after a `-ERR`, so that the connection stays in step; the
 * first refusal is thrown at the end (one at a time, at once). Returns the bodies in batch order.
 */
async function exchange(io: ConnectionIo, deletions: readonly number[], batch: readonly Pop3ScanListing[], pipelining: boolean): Promise<Buffer[]> {
  const commands = [...deletions.map((n) => Command.of('DELE', n)), ...batch.map((entry) => Command.of('RETR', entry.number))]
  const bodies: Buffer[] = []
  let refusal: Pop3ReplyError | undefined
  const pipelined = pipelining && commands.length > 1
  if (pipelined) await io.send(commands)
  for (const command of commands) {
    try {
      if (pipelined) await readStatus(io, command)
      else await sendCommand(io, command)
    } catch (error) {
      if (!pipelined || !Pop3ReplyError.isInstance(error)) throw error
      refusal ??= error
      continue
    }
    if (command.verb === 'RETR') bodies.push(await io.readDotBodyBuffer())
  }
  if (refusal !== undefined) throw refusal
  return bodies
}
