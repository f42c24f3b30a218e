import { abortErrorOf } from '../io/byte-reader.ts'

/**
 * TaskQueue: a FIFO that runs one task at a time (DESIGN.md principle 3: concurrent callers queue in
 * order, never refused). A task whose signal fires while it waits leaves the queue with `AbortError`
 * without disturbing the others. It knows nothing of any protocol (undici's queue, Go's `Pipeline`).
 *
 * ```ts
 * const [a, b] = await Promise.all([queue.run(() => list()), queue.run(() => retrieve(1))])  // in order
 * ```
 */
export class TaskQueue {
  private tail: Promise<void> = Promise.resolve()
  private count = 0

  /** The number of tasks running or waiting. */
  get size(): number {
    return this.count
  }

  /** run: runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.tail
    let release: () => void = () => undefined
    const turn = new Promise<void>((resolve) => {
      release = resolve
    })
    this.tail = previous.then(() => turn)
    this.count++
    const settle = (): void => {
      this.count--
      // Release the next task only once the previous one has settled, also when this one was aborted
      // while it waited: the queue never runs two tasks at once.
      void previous.then(release)
    }
    return waitForTurn(previous, signal).then(task).finally(settle)
  }

  /** idle: resolves once every task queued so far has settled. */
  idle(): Promise<void> {
    return this.tail
  }
}

function waitForTurn(previous: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return previous
  if (signal.aborted) return Promise.reject(abortErrorOf(signal))
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(abortErrorOf(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    void previous.then(() => {
      signal.removeEventListener('abort', onAbort)
      if (signal.aborted) reject(abortErrorOf(signal))
      else resolve()
    })
  })
}
