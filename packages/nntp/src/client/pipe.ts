/**
 * Pipe: the hand-over between a task that holds the wire (the producer, inside `connection.run`) and a
 * caller iterating at its own pace (the consumer). The producer waits once `highWater` items are
 * unread (backpressure); when the consumer leaves early, `push` resolves false and the producer stops
 * (draining what the server still sends, so the connection stays in step). Internal.
 */
export class Pipe<T> implements AsyncIterable<T> {
  readonly #highWater: number
  readonly #items: T[] = []
  #ended = false
  #error: unknown
  #failed = false
  #gone = false
  #wakeConsumer: (() => void) | undefined
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
    if (this.#gone) return false
    this.#items.push(item)
    this.#wake()
    if (this.#items.length < this.#highWater) return true
    return new Promise<boolean>((resolve) => (this.#wakeProducer = resolve))
  }

  /**
   * pushAll: hands a batch over at once (one wake-up, no promise per item); resolves true to go on,
   * false when the consumer has gone. Waits, like `push`, once `highWater` items are unread, so at most
   * `highWater` plus one batch are ever held.
   */
  pushAll(items: readonly T[]): Promise<boolean> | boolean {
    if (this.#gone) return false
    if (items.length === 0) return true
    for (const item of items) this.#items.push(item)
    this.#wake()
    if (this.#items.length < this.#highWater) return true
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
    this.#gone = true
    this.#items.length = 0
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

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    try {
      for (;;) {
        if (this.#items.length > 0) {
          const item = this.#items.shift() as T
          if (this.#items.length < this.#highWater) this.#release(true)
          yield item
          continue
        }
        if (this.#ended) {
          if (this.#failed) throw this.#error
          return
        }
        await new Promise<void>((resolve) => (this.#wakeConsumer = resolve))
      }
    } finally {
      this.#gone = true
      this.#items.length = 0
      this.#release(false)
    }
  }

  #wake(): void {
    const wake = this.#wakeConsumer
    this.#wakeConsumer = undefined
    wake?.()
  }

  #release(more: boolean): void {
    const wake = this.#wakeProducer
    this.#wakeProducer = undefined
    wake?.(more)
  }
}
