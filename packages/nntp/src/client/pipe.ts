import { PipeIterator } from './pipe-iterator.ts'

/**
 * Pipe: the hand-over between a task that holds the wire (the producer, inside `connection.run`) and a
 * caller iterating at its own pace (the consumer). The producer waits once `highWater` items are
 * unread (backpressure); when the consumer leaves early, `push` resolves false and the producer stops
 * (draining what the server still sends, so the connection stays in step). The consumer's side is
 * `poll`/`wait`/`leave`, which `PipeIterator` turns into an async iterator. Internal.
 */
export class Pipe<T> implements AsyncIterable<T, void, undefined> {
  readonly #highWater: number
  /** The batch being read (`pushAll` hands its array over whole) and the index of its next unread item. */
  #current: T[] = []
  #index = 0
  /** The batches after it, from `#queuedHead` on (a queue without `shift`). */
  #queued: T[][] = []
  #queuedHead = 0
  #unread = 0
  #ended = false
  #error: unknown
  #failed = false
  #gone = false
  #wakeConsumer: (() => void) | undefined
  #waiting: Promise<void> | undefined
  #wakeProducer: ((more: boolean) => void) | undefined

  constructor(highWater = 256) {
    this.#highWater = highWater
  }

  /** True once the consumer has stopped iterating. */
  get gone(): boolean {
    return this.#gone
  }

  /** push: hands one item over; resolves true to go on, false when the consumer has gone. */
  push(item: T): Promise<boolean> | boolean {
    return this.pushAll([item])
  }

  /**
   * pushAll: hands a batch over at once (one wake-up, no promise and no copy per item); resolves true to
   * go on, false when the consumer has gone. The pipe takes `items` (the caller must not use the array
   * again). Waits, like `push`, once `highWater` items are unread, so at most `highWater` plus one batch
   * are ever held.
   */
  pushAll(items: T[]): Promise<boolean> | boolean {
    if (this.#gone) return false
    if (items.length === 0) return true
    if (this.#unread === 0) {
      this.#current = items
      this.#index = 0
    } else {
      this.#queued.push(items)
    }
    this.#unread += items.length
    this.#wake()
    if (this.#unread < this.#highWater) return true
    return new Promise<boolean>((resolve) => (this.#wakeProducer = resolve))
  }

  /** end: no more items. */
  end(): void {
    this.#ended = true
    this.#wake()
  }

  /**
   * cancel: the consumer's side gives up (the client is closing): unread items are dropped, the producer
   * is told to stop (and drains), and the consumer's next step throws `reason`.
   */
  cancel(reason: Error): void {
    this.#drop()
    if (!this.#ended) {
      this.#failed = true
      this.#error = reason
      this.#ended = true
    }
    this.#wake()
    this.#release(false)
  }

  /** fail: the consumer receives `error` after the items already handed over. */
  fail(error: unknown): void {
    if (this.#ended) return
    this.#failed = true
    this.#error = error
    this.end()
  }

  /**
   * poll: the consumer's next step without waiting: the next item, `done` once the pipe has ended and
   * every item was read (throwing the failure, if any, instead), or undefined when it must `wait`.
   */
  poll(): IteratorResult<T, void> | undefined {
    const item = this.take()
    if (item !== undefined) return item
    if (!this.#ended) return undefined
    if (this.#failed) throw this.#error
    return { done: true, value: undefined }
  }

  /** take: the next item when one is unread, else undefined (never the end, never a failure: see `poll`). */
  take(): IteratorYieldResult<T> | undefined {
    if (this.#unread === 0) return undefined
    if (this.#index === this.#current.length) {
      this.#current = this.#queued[this.#queuedHead] as T[]
      this.#queued[this.#queuedHead++] = []
      if (this.#queuedHead === this.#queued.length) {
        this.#queued = []
        this.#queuedHead = 0
      }
      this.#index = 0
    }
    const value = this.#current[this.#index] as T
    this.#current[this.#index++] = undefined as T
    if (--this.#unread < this.#highWater) this.#release(true)
    return { done: false, value }
  }

  /** wait: resolves when the producer has pushed, ended or failed (poll again then). */
  wait(): Promise<void> {
    this.#waiting ??= new Promise<void>((resolve) => (this.#wakeConsumer = resolve))
    return this.#waiting
  }

  /** leave: the consumer has stopped: unread items are dropped and the producer is told to stop. */
  leave(): void {
    this.#drop()
    this.#release(false)
  }

  [Symbol.asyncIterator](): PipeIterator<T> {
    return new PipeIterator(this)
  }

  #drop(): void {
    this.#gone = true
    this.#current = []
    this.#index = 0
    this.#queued = []
    this.#queuedHead = 0
    this.#unread = 0
  }

  #wake(): void {
    const wake = this.#wakeConsumer
    this.#wakeConsumer = undefined
    this.#waiting = undefined
    wake?.()
  }

  #release(more: boolean): void {
    const wake = this.#wakeProducer
    this.#wakeProducer = undefined
    wake?.(more)
  }
}
