import { AbortError, ClosedError, ConnectionError, InvalidArgumentError, InvalidStateError, ReplyError, TimeoutError } from '@netc/transport'
import { composeMail, type Mail } from './compose-mail.ts'
import { isDeliveryUncertain } from './delivery-uncertain.ts'
import type { SmtpEnvelope } from './envelope.ts'
import type { MessageSource, SendOptions, SendResult } from './send-result.ts'
import { SmtpClient } from './smtp-client.ts'
import { resolveSmtpOptions, type SmtpClientOptions } from './smtp-client-options.ts'

/** SmtpPoolOptions: the client's options, and how many connections do how much. */
export interface SmtpPoolOptions extends SmtpClientOptions {
  /** Connections open at most (default 5). */
  maxConnections?: number
  /** Messages per connection before it says QUIT and a fresh one takes over (default 100). */
  maxMessagesPerConnection?: number
  /** An unused connection is closed after this many milliseconds (default 30,000; 0: never). */
  idleTimeout?: number
  /** Messages waiting for a connection at most; beyond that, `send` and `enqueue` wait (default 1,000). */
  maxQueue?: number
  /** Tries of a message that failed before it went out (a connection found dead, a 421): default 3. */
  maxAttempts?: number
}

interface Job {
  envelope: SmtpEnvelope
  message: MessageSource
  options: SendOptions
  attempts: number
  resolve: (result: SendResult) => void
  reject: (error: unknown) => void
}

interface Slot {
  client: SmtpClient | undefined
  busy: boolean
  sent: number
  idleTimer: NodeJS.Timeout | undefined
}

/**
 * SmtpPool: N SMTP connections sharing one bounded queue of messages. Each connection sends one message
 * at a time, retires after `maxMessagesPerConnection`, closes when idle; a connection found dead (the
 * server closed it while idle, or answered 421) is replaced and the message sent again, but only when it
 * had not begun to go out (never twice). `close()` sends what is queued, then says QUIT everywhere.
 *
 * ```ts
 * await using pool = new SmtpPool('smtp://mail.example.com:587', { auth, maxConnections: 5 })
 * for (const message of messages) {
 *   const { delivery } = await pool.enqueue(envelope, message)   // waits while the queue is full
 *   delivery.then(report, fail)
 * }
 * ```
 */
export class SmtpPool implements AsyncDisposable {
  readonly #target: string | URL | SmtpClientOptions
  readonly #options: SmtpClientOptions
  readonly #limits: Required<Pick<SmtpPoolOptions, 'maxConnections' | 'maxMessagesPerConnection' | 'idleTimeout' | 'maxQueue' | 'maxAttempts'>>
  readonly #queue: Job[] = []
  readonly #slots: Slot[] = []
  readonly #spaceWaiters: Array<() => void> = []
  readonly #drainWaiters: Array<() => void> = []
  #closing = false

  constructor(target: string | URL | SmtpPoolOptions, options: SmtpPoolOptions = {}) {
    const all = { ...(typeof target === 'string' || target instanceof URL ? {} : target), ...options }
    const { maxConnections = 5, maxMessagesPerConnection = 100, idleTimeout = 30_000, maxQueue = 1000, maxAttempts = 3, ...clientOptions } = all
    for (const [name, value] of Object.entries({ maxConnections, maxMessagesPerConnection, maxQueue, maxAttempts })) {
      if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name}: ${String(value)} (a positive integer)`)
    }
    this.#limits = { maxConnections, maxMessagesPerConnection, idleTimeout, maxQueue, maxAttempts }
    this.#target = typeof target === 'string' || target instanceof URL ? target : clientOptions
    this.#options = typeof target === 'string' || target instanceof URL ? clientOptions : {}
    resolveSmtpOptions(this.#target, this.#options) // fail now on bad options, not at the first message
  }

  /** Messages waiting for a connection. */
  get pending(): number {
    return this.#queue.length
  }
  /** Connections open now. */
  get connections(): number {
    return this.#slots.filter((slot) => slot.client !== undefined && slot.client.state !== 'closed').length
  }

  /** send: queues the message (waiting while the queue is full) and resolves once it is sent. */
  async send(envelope: SmtpEnvelope, message: MessageSource, options: SendOptions = {}): Promise<SendResult> {
    const { delivery } = await this.enqueue(envelope, message, options)
    return delivery
  }

  /** sendMail: `composeMail` and `send`. */
  async sendMail(mail: Mail, options: SendOptions = {}): Promise<SendResult> {
    const { envelope, message } = composeMail(mail)
    return this.send(envelope, message, options)
  }

  /**
   * enqueue: resolves once the message has a place in the queue (backpressure: it waits while `maxQueue`
   * messages wait); `delivery` settles when the message is sent or has failed.
   */
  async enqueue(envelope: SmtpEnvelope, message: MessageSource, options: SendOptions = {}): Promise<{ delivery: Promise<SendResult> }> {
    while (this.#queue.length >= this.#limits.maxQueue && !this.#closing) await this.#waitForSpace(options.signal)
    if (this.#closing) throw new InvalidStateError('the pool is closing')
    options.signal?.throwIfAborted()
    const delivery = new Promise<SendResult>((resolve, reject) => {
      this.#queue.push({ envelope, message, options, attempts: 0, resolve, reject })
    })
    delivery.catch(() => undefined) // the caller may only look at `delivery` later; never an unhandled rejection
    this.#pump()
    return { delivery }
  }

  /** close: takes no more messages, sends the queued ones, then closes every connection (QUIT). */
  async close(): Promise<void> {
    this.#closing = true
    for (const wake of this.#spaceWaiters.splice(0)) wake()
    if (this.#queue.length > 0 || this.#slots.some((slot) => slot.busy)) {
      await new Promise<void>((resolve) => this.#drainWaiters.push(resolve))
    }
    await Promise.all(this.#slots.map((slot) => this.#retire(slot)))
  }

  /** destroy: drops every connection now; queued messages reject with `ClosedError`. */
  destroy(reason?: Error): void {
    this.#closing = true
    for (const job of this.#queue.splice(0)) job.reject(new ClosedError('the pool was destroyed', { cause: reason }))
    for (const slot of this.#slots) {
      clearTimeout(slot.idleTimer)
      slot.client?.destroy(reason)
      slot.client = undefined
    }
    for (const wake of [...this.#spaceWaiters.splice(0), ...this.#drainWaiters.splice(0)]) wake()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      const slot = this.#freeSlot()
      if (slot === undefined) return
      const job = this.#queue.shift() as Job
      this.#spaceWaiters.shift()?.()
      slot.busy = true
      clearTimeout(slot.idleTimer)
      void this.#run(slot, job)
    }
    if (!this.#slots.some((slot) => slot.busy)) for (const wake of this.#drainWaiters.splice(0)) wake()
  }

  /** An idle open connection first, then a dead or unopened slot, then a new slot under the limit. */
  #freeSlot(): Slot | undefined {
    const idle = this.#slots.filter((slot) => !slot.busy)
    const open = idle.find((slot) => slot.client !== undefined && slot.client.state !== 'closed')
    if (open !== undefined || idle.length > 0) return open ?? idle[0]
    if (this.#slots.length >= this.#limits.maxConnections) return undefined
    const slot: Slot = { client: undefined, busy: false, sent: 0, idleTimer: undefined }
    this.#slots.push(slot)
    return slot
  }

  async #run(slot: Slot, job: Job): Promise<void> {
    try {
      const client = await this.#clientOf(slot)
      job.resolve(await client.send(job.envelope, job.message, job.options))
      slot.sent++
    } catch (error) {
      job.attempts++
      if (this.#retryable(error) && job.attempts < this.#limits.maxAttempts) this.#queue.unshift(job)
      else job.reject(error)
    }
    await this.#afterJob(slot)
    slot.busy = false
    this.#pump()
  }

  async #clientOf(slot: Slot): Promise<SmtpClient> {
    if (slot.client !== undefined && slot.client.state !== 'closed') return slot.client
    slot.client = undefined
    slot.sent = 0
    slot.client = await SmtpClient.connect(this.#target, this.#options)
    return slot.client
  }

  async #afterJob(slot: Slot): Promise<void> {
    const client = slot.client
    if (client === undefined) return
    if (client.state === 'closed') {
      slot.client = undefined
    } else if (slot.sent >= this.#limits.maxMessagesPerConnection) {
      await this.#retire(slot)
    } else if (this.#limits.idleTimeout > 0) {
      slot.idleTimer = setTimeout(() => {
        if (!slot.busy) void this.#retire(slot)
      }, this.#limits.idleTimeout)
      slot.idleTimer.unref()
    }
  }

  async #retire(slot: Slot): Promise<void> {
    clearTimeout(slot.idleTimer)
    const client = slot.client
    slot.client = undefined
    slot.sent = 0
    await client?.close()
  }

  /** A message may go again when it never began to go out and the failure was the connection's. */
  #retryable(error: unknown): boolean {
    if (isDeliveryUncertain(error) || AbortError.isInstance(error)) return false
    if (ReplyError.isInstance(error)) return error.replyCode === 421
    return ConnectionError.isInstance(error) || ClosedError.isInstance(error) || TimeoutError.isInstance(error)
  }

  #waitForSpace(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(new AbortError('enqueue aborted', { cause: signal?.reason }))
      if (signal?.aborted) return onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#spaceWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
    })
  }
}
