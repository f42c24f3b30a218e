import type { Pipe } from './pipe.ts'

/** What a PipeIterator runs when iteration begins, and waits for when it ends (see `streamTask`). */
export interface PipeTask {
  /** Starts the producer; the promise settles once it has finished (the connection in step again). */
  start(): Promise<void>
}

const DONE: IteratorResult<never, void> = Object.freeze({ done: true, value: undefined })

/**
 * PipeIterator: the consumer's side of a Pipe as an async generator, written by hand: an item already
 * handed over costs one settled promise, not a generator step per layer (`overview()` over 20,000 lines
 * spent more time in three nested `yield*` than in parsing). Like a generator, it starts its task on the
 * first `next()` only, and once the pipe ends, or the consumer leaves (`return`, `break`), it waits for
 * the task to finish, so that the next call finds the connection in step. Internal.
 *
 * ```ts
 * for await (const entry of new PipeIterator(pipe, { start: () => connection.run(produce) })) use(entry)
 * ```
 */
export class PipeIterator<T> implements AsyncGenerator<T, void, undefined> {
  readonly #pipe: Pipe<T>
  readonly #task: PipeTask | undefined
  #running: Promise<void> | undefined
  #finished = false

  constructor(pipe: Pipe<T>, task?: PipeTask) {
    this.#pipe = pipe
    this.#task = task
  }

  /**
   * next: the next item. One already handed over is returned in a resolved promise without entering an
   * async function (the step every item of `overview()` takes); anything else (the first step, a wait,
   * the end, a failure) goes through `#step`.
   */
  next(): Promise<IteratorResult<T, void>> {
    if ((this.#running !== undefined || this.#task === undefined) && !this.#finished) {
      const result = this.#pipe.take()
      if (result !== undefined) return Promise.resolve(result)
    }
    return this.#step()
  }

  async #step(): Promise<IteratorResult<T, void>> {
    if (this.#finished) return DONE
    if (this.#running === undefined && this.#task !== undefined) this.#running = this.#task.start()
    try {
      for (;;) {
        const result = this.#pipe.poll()
        if (result === undefined) await this.#pipe.wait()
        else if (result.done === true) break
        else return result
      }
    } catch (error) {
      await this.#finish()
      throw error
    }
    await this.#finish()
    return DONE
  }

  async return(): Promise<IteratorResult<T, void>> {
    await this.#finish()
    return DONE
  }

  async throw(error: unknown): Promise<IteratorResult<T, void>> {
    await this.#finish()
    throw error
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#finish()
  }

  async #finish(): Promise<void> {
    this.#finished = true
    this.#pipe.leave()
    await this.#running?.catch(() => undefined)
  }
}
