import { Command, type Connection, type ConnectionIo } from '@netc/transport'
import type { ScanTable } from './parse-listing-tables.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'
import { assertOk, sendCommand } from './read-status.ts'

/** RetrievalWindowOptions: how far ahead a RetrievalWindow may fetch. */
export interface RetrievalWindowOptions {
  /** Several commands per write (RFC 2449 section 6.6); without it, one command at a time. */
  pipelining: boolean
  /** At most this many messages in flight (sent, not yet taken); at least 1. */
  window: number
  /** At most this many octets (LIST sizes) in flight; one message always goes, whatever its size. */
  windowBytes: number
  signal: AbortSignal | undefined
  /** Where bodies are read into (recycled memory); by default each body gets a Buffer of its own. */
  allocate?: ((size: number) => Buffer) | undefined
}

/** A message RetrievalWindow read: its number, its size by LIST, and its body. */
export interface RetrievedEntry {
  number: number
  size: number
  body: Buffer
  /** The memory the body is a view of, when it came from `allocate`. */
  memory?: Buffer | undefined
}

const NOTHING: InFlight[] = []

interface InFlight {
  command: Command
  /** The RETR's target (its position in the ScanTable), or -1 for a DELE. */
  target: number
}

/**
 * RetrievalWindow: a sliding window of RETR over `targets` (retrieveAll's engine). A message is "in flight"
 * from its RETR until the loop has it in hand (a turn after `take()` returns it); at most `window`
 * messages and `windowBytes` octets (by LIST size) are in flight, so the bodies held do not grow with the
 * mailbox. Each reply read makes room, and the
 * next RETR goes out at once (in one write with the DELE for messages the loop has `passed`).
 *
 * The wire is held only while replies are owed, never waiting for the loop: once the window is full of
 * bodies nobody has taken, the run ends and calls the loop made on the client go first (they wait at most
 * for the replies already in flight), so a loop that calls the client cannot deadlock.
 *
 * ```
 * C: RETR 1\r\nRETR 2\r\nRETR 3\r\nRETR 4\r\n    (windowBytes 4 MiB, 1 MiB messages)
 * S: +OK ... .                                 (take 1: room for one more)
 * C: DELE 1\r\nRETR 5\r\n
 * ```
 */
export class RetrievalWindow {
  readonly #connection: Connection
  readonly #targets: ScanTable
  readonly #options: RetrievalWindowOptions
  readonly #ready: RetrievedEntry[] = []
  /** Passed by the loop since the last `take()`. */
  #deletions: number[] = []
  /** Passed before the last `take()`: these go with the next RETR. */
  #sendable: number[] = []
  /** The sizes of the messages taken in this turn of the event loop, released at its end. */
  readonly #releasing: number[] = []
  #next = 0
  #taken = 0
  #count = 0
  #bytes = 0
  #pumping = false
  #closing = false
  #failure: Error | undefined
  #running: Promise<void> = Promise.resolve()
  #notify: () => void = () => undefined

  constructor(connection: Connection, targets: ScanTable, options: RetrievalWindowOptions) {
    this.#connection = connection
    this.#targets = targets
    this.#options = options
  }

  /**
   * takeReady: the next message if it has been read already, else undefined (then `take()` waits for it);
   * the synchronous fast path of a pipelined batch.
   */
  takeReady(): RetrievedEntry | undefined {
    const ready = this.#ready.shift()
    if (ready !== undefined) this.#handOver(ready)
    return ready
  }

  /** take: the next message in order, or undefined after the last; throws the first refusal once the messages before it are taken. */
  async take(): Promise<RetrievedEntry | undefined> {
    for (;;) {
      const ready = this.takeReady()
      if (ready !== undefined) return ready
      if (this.#failure !== undefined) throw this.#failure
      if (this.#taken >= this.#targets.count) return undefined
      const changed = this.#waitForChange()
      this.#kick()
      await changed
    }
  }

  /** The loop has `ready` now: its DELE timing and its room in the window follow from that. */
  #handOver(ready: RetrievedEntry): void {
    this.#taken++
    // The DELE the loop asked for so far go with the RETR this take makes room for, not with an earlier one.
    if (this.#deletions.length > 0) {
      this.#sendable.push(...this.#deletions)
      this.#deletions = []
    }
    // The message stays in flight until the loop has it in hand (after this turn of the event loop):
    // only then does its room go to the next RETR. The messages taken in one turn are released together.
    this.#releasing.push(ready.size)
    if (this.#releasing.length === 1) setImmediate(this.#release)
  }

  readonly #release = (): void => {
    for (const size of this.#releasing) {
      this.#count--
      this.#bytes -= size
    }
    this.#releasing.length = 0
    this.#kick()
  }

  /** passed: the loop moved past message `number`: its DELE goes out with the next RETR, or at `finish()`. */
  passed(number: number): void {
    this.#deletions.push(number)
  }

  /** finish: sends no more RETR, reads the replies still owed, then sends the DELE not yet sent. */
  async finish(): Promise<void> {
    this.#closing = true
    await this.#running
    this.#sendable.push(...this.#deletions)
    this.#deletions = []
    if (this.#sendable.length === 0 || this.#connection.closed) return
    const deletions = this.#takeDeletions()
    await this.#connection.run((io) => this.#pump(io, deletions), { signal: this.#options.signal })
  }

  /** Starts a run on the connection when something may be sent and none is going. */
  #kick(): void {
    if (this.#pumping || this.#closing || this.#failure !== undefined) return
    const first = this.#nextCommands()
    if (first.length === 0) return
    this.#pumping = true
    this.#running = this.#connection.run((io) => this.#pump(io, first), { signal: this.#options.signal }).then(
      () => undefined,
      (error: unknown) => {
        this.#pumping = false
        this.#failure ??= error instanceof Error ? error : new Error(String(error))
        this.#notify()
      },
    )
  }

  /**
   * The commands that may go now: the pending DELE and the RETR the window allows (counted in flight from
   * here), or nothing when no RETR fits. Without pipelining the window is one message, and `#pump` sends
   * these one at a time.
   */
  #nextCommands(): InFlight[] {
    if (this.#closing || this.#failure !== undefined) return []
    if (!this.#fits()) return NOTHING
    const commands = this.#sendable.length > 0 ? this.#takeDeletions() : []
    while (this.#fits()) commands.push(this.#reserve())
    return commands
  }

  /** Whether the next target's RETR fits the window (one message always does). */
  #fits(): boolean {
    if (this.#next >= this.#targets.count) return false
    if (this.#count === 0) return true
    return this.#count < this.#options.window && this.#bytes + (this.#targets.sizes[this.#next] as number) <= this.#options.windowBytes
  }

  #reserve(): InFlight {
    const target = this.#next++
    this.#count++
    this.#bytes += this.#targets.sizes[target] as number
    return { command: Command.of('RETR', this.#targets.numbers[target] as number), target }
  }

  #takeDeletions(): InFlight[] {
    const deletions = this.#sendable.map((number) => ({ command: Command.of('DELE', number), target: -1 }))
    this.#sendable = []
    return deletions
  }

  /**
   * One run on the wire: sends `first`, then reads every answer in order, sending more as the window
   * allows, until nothing is owed. Every answer is read even after a `-ERR` so that the connection stays
   * in step (bodies after it are dropped); that first refusal is thrown at the end.
   */
  async #pump(io: ConnectionIo, first: InFlight[]): Promise<void> {
    const owed: InFlight[] = []
    let refusal: Pop3ReplyError | undefined
    let sending = first
    for (;;) {
      if (sending.length > 0) await this.#send(io, sending, owed)
      const head = owed.shift()
      if (head === undefined) break
      try {
        if (this.#options.pipelining) assertOk(await io.readTextLine(), head.command)
        else await sendCommand(io, head.command)
        if (head.target !== -1) {
          const size = this.#targets.sizes[head.target] as number
          const allocate = this.#options.allocate
          let memory: Buffer | undefined
          const body = await io.readDotBodyBuffer({ sizeHint: size, allocate: allocate && ((bytes) => (memory = allocate(bytes))) })
          if (refusal === undefined) {
            this.#ready.push({ number: this.#targets.numbers[head.target] as number, size, body, memory })
            this.#notify()
          }
        }
      } catch (error) {
        if (!Pop3ReplyError.isInstance(error)) throw error
        refusal ??= error
        if (!this.#options.pipelining) break
      }
      sending = refusal === undefined ? this.#nextCommands() : []
    }
    // Synchronously with the last read: a `take()` woken now must see the refusal, and may start a new run.
    this.#pumping = false
    if (refusal !== undefined) this.#failure ??= refusal
    this.#notify()
    if (refusal !== undefined) throw refusal
  }

  async #send(io: ConnectionIo, commands: readonly InFlight[], owed: InFlight[]): Promise<void> {
    owed.push(...commands)
    if (this.#options.pipelining) await io.send(commands.map((item) => item.command))
  }

  #waitForChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#notify = resolve
    })
  }
}
