import { AbortError, ClosedError, InvalidArgumentError, InvalidStateError } from '@netc/transport'
import { backoffDelay } from './backoff.ts'
import { composeMail, type Mail } from './compose-mail.ts'
import type { SmtpEnvelope } from './envelope.ts'
import { ReconnectGate } from './reconnect-gate.ts'
import { classifySendFailure, resolveReconnectPolicy, type ResolvedReconnectPolicy } from './reconnect-policy.ts'
import type { MessageSource, SendOptions, SendResult } from './send-result.ts'
import { SmtpClient } from './smtp-client.ts'
import { resolveSmtpOptions, type SmtpClientOptions } from './smtp-client-options.ts'
import type { SmtpPoolOptions } from './smtp-pool-options.ts'

export type { SmtpPoolOptions } from './smtp-pool-options.ts'

interface Job {
  envelope: SmtpEnvelope
  message: MessageSource
  options: SendOptions
  attempts: number
  transientAttempts: number
  resolve: (result: SendResult) => void
  reject: (error: unknown) => void
}

interface Slot {
  client: SmtpClient | undefined
  busy: boolean
  sent: number
  idleTimer: NodeJS.Timeout | undefined
  /** When the connection last finished something (Date.now()). */
  usedAt: number
}

/**
 * SmtpPool: N SMTP connections sharing one bounded queue of messages. Each connection sends one message
 * at a time, retires after `maxMessagesPerConnection`, closes when idle. It recovers from a server that
 * closes idle connections or restarts: a connection found dead (EOF, reset, `421`) is replaced and the
 * message sent again when it had not reached its final reply with its data out (never twice: a message
 * whose outcome is unknown rejects with an error for which `isDeliveryUncertain` is true, unless
 * `reconnect.resendUncertain`); failed connections are retried with a jittered, bounded backoff
 * (`reconnect`); a 4xx refusal is retried later (`retryTransient`); a 5xx fails the message.
 * `close()` sends what is queued (waiting out a restart), then says QUIT everywhere.
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
  readonly #limits: Required<Pick<SmtpPoolOptions, 'maxConnections' | 'maxMessagesPerConnection' | 'idleTimeout' | 'maxQueue' | 'maxAttempts' | 'noopAfterIdle'>>
  readonly #queue: Job[] = []
  readonly #slots: Slot[] = []
  readonly #spaceWaiters: Array<() => void> = []
  readonly #drainWaiters: Array<() => void> = []
  readonly #policy: ResolvedReconnectPolicy
  readonly #gate: ReconnectGate
  readonly #destroyed = new AbortController()
  readonly #delayed = new Map<Job, NodeJS.Timeout>()
  #closing = false

  constructor(target: string | URL | SmtpPoolOptions, options: SmtpPoolOptions = {}) {
    const all = { ...(typeof target === 'string' || target instanceof URL ? {} : target), ...options }
    const { maxConnections = 5, maxMessagesPerConnection = 100, idleTimeout = 30_000, maxQueue = 1000, maxAttempts = 3, noopAfterIdle = 1000, reconnect, retryTransient, ...clientOptions } = all
    for (const [name, value] of Object.entries({ maxConnections, maxMessagesPerConnection, maxQueue, maxAttempts })) {
      if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name}: ${String(value)} (a positive integer)`)
    }
    if (!(noopAfterIdle >= 0)) throw new InvalidArgumentError(`noopAfterIdle: ${String(noopAfterIdle)} (milliseconds, 0 or more)`)
    this.#limits = { maxConnections, maxMessagesPerConnection, idleTimeout, maxQueue, maxAttempts, noopAfterIdle }
    this.#policy = resolveReconnectPolicy(reconnect, retryTransient)
    this.#gate = new ReconnectGate(this.#policy.reconnect, this.#destroyed.signal)
    this.#target = typeof target === 'string' || target instanceof URL ? target : clientOptions
    this.#options = typeof target === 'string' || target instanceof URL ? clientOptions : {}
    resolveSmtpOptions(this.#target, this.#options) // fail now on bad options, not at the first message
  }

  /** Messages waiting for a connection (those waiting out a 4xx retry included). */
  get pending(): number {
    return this.#queue.length + this.#delayed.size
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
    const { envelope, message } = await composeMail(mail)
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
      this.#queue.push({ envelope, message, options, attempts: 0, transientAttempts: 0, resolve, reject })
    })
    delivery.catch(() => undefined) // the caller may only look at `delivery` later; never an unhandled rejection
    this.#pump()
    return { delivery }
  }

  /** close: takes no more messages, sends the queued ones, then closes every connection (QUIT). */
  async close(): Promise<void> {
    this.#closing = true
    for (const wake of this.#spaceWaiters.splice(0)) wake()
    if (!this.#drained()) {
      await new Promise<void>((resolve) => this.#drainWaiters.push(resolve))
    }
    await Promise.all(this.#slots.map((slot) => this.#retire(slot)))
  }

  /** destroy: drops every connection now; queued messages reject with `ClosedError`. */
  destroy(reason?: Error): void {
    this.#closing = true
    this.#destroyed.abort(reason)
    for (const [job, timer] of this.#delayed) {
      clearTimeout(timer)
      this.#queue.push(job)
    }
    this.#delayed.clear()
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
    if (this.#drained()) for (const wake of this.#drainWaiters.splice(0)) wake()
  }

  #drained(): boolean {
    return this.#queue.length === 0 && this.#delayed.size === 0 && !this.#slots.some((slot) => slot.busy)
  }

  /** An idle open connection first, then a dead or unopened slot, then a new slot under the limit. */
  #freeSlot(): Slot | undefined {
    const idle = this.#slots.filter((slot) => !slot.busy)
    const open = idle.find((slot) => slot.client !== undefined && slot.client.state !== 'closed')
    if (open !== undefined || idle.length > 0) return open ?? idle[0]
    if (this.#slots.length >= this.#limits.maxConnections) return undefined
    const slot: Slot = { client: undefined, busy: false, sent: 0, idleTimer: undefined, usedAt: 0 }
    this.#slots.push(slot)
    return slot
  }

  async #run(slot: Slot, job: Job): Promise<void> {
    let client: SmtpClient | undefined
    try {
      client = await this.#clientOf(slot)
    } catch (error) {
      // The gate gave up on the server (or the login was refused): every message waiting for it fails too.
      const destroyed = this.#destroyed.signal.aborted
      job.reject(destroyed ? new ClosedError('the pool was destroyed', { cause: error }) : error)
      if (!destroyed) for (const waiting of this.#queue.splice(0)) waiting.reject(error)
    }
    if (client !== undefined) {
      try {
        job.resolve(await client.send(job.envelope, job.message, job.options))
        slot.sent++
      } catch (error) {
        this.#failed(job, error)
      }
    }
    await this.#afterJob(slot)
    slot.busy = false
    this.#pump()
  }

  /** A failed try: again now (on a new connection), again later (4xx), or the message fails. */
  #failed(job: Job, error: unknown): void {
    const verdict = classifySendFailure(error, this.#policy)
    if (verdict === 'resend' && ++job.attempts < this.#limits.maxAttempts && !this.#destroyed.signal.aborted) {
      this.#queue.unshift(job)
    } else if (verdict === 'transient' && ++job.transientAttempts < this.#policy.transient.maxAttempts && !this.#destroyed.signal.aborted) {
      this.#later(job, backoffDelay(job.transientAttempts, this.#policy.transient))
    } else {
      job.reject(error)
    }
  }

  /** Puts `job` back at the head of the queue after `delay` ms (or rejects it if its signal aborts first). */
  #later(job: Job, delay: number): void {
    const timer = setTimeout(() => {
      this.#delayed.delete(job)
      if (job.options.signal?.aborted === true) job.reject(new AbortError('send aborted', { cause: job.options.signal.reason }))
      else this.#queue.unshift(job)
      this.#pump()
    }, delay)
    this.#delayed.set(job, timer)
  }

  async #clientOf(slot: Slot): Promise<SmtpClient> {
    if (slot.client !== undefined && (await this.#isAlive(slot, slot.client))) return slot.client
    slot.client = undefined
    slot.sent = 0
    slot.client = await this.#gate.open(() => SmtpClient.connect(this.#target, this.#options))
    return slot.client
  }

  /** Whether an open connection may take a message: a turn of the event loop to see a hang-up, NOOP after idling. */
  async #isAlive(slot: Slot, client: SmtpClient): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve))
    if (client.state === 'closed') return false
    if (Date.now() - slot.usedAt < this.#limits.noopAfterIdle) return true
    try {
      await client.noop()
      return true
    } catch (error) {
      client.destroy(error instanceof Error ? error : undefined)
      return false
    }
  }

  async #afterJob(slot: Slot): Promise<void> {
    slot.usedAt = Date.now()
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
