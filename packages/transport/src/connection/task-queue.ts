import { abortErrorOf } from '../io/byte-reader.ts'
import { rejectWith } from './reject-with.ts'

/** A task waiting for its turn. */
interface Waiter {
  readonly sequence: number
  readonly start: () => void
  /** Stops listening to the waiter's signal (it is starting, or it left). */
  readonly forget: () => void
}

/** An `idle()` caller: resolved once every task up to `sequence` has settled. */
interface IdleWaiter {
  readonly sequence: number
  readonly resolve: () => void
}

/**
 * TaskQueue: a FIFO that runs one task at a time (DESIGN.md principle 3: concurrent callers queue in
 * order, never refused). A task whose signal fires while it waits leaves the queue with `AbortError`
 * without disturbing the others. It knows nothing of any protocol (undici's queue, Go's `Pipeline`).
 *
 * ```ts
 * const [a, b] = await Promise.all([queue.run(() => list()), queue.run(() => retrieve(1))])  // in order
 * ```
 * A task queued on an idle queue starts at once, inside `run`; a waiting one starts as soon as the task
 * before it settles. Neither costs a promise of the queue's own beyond the one `run` returns.
 */
export class TaskQueue {
  private count = 0
  private busy = false
  /** The sequence number of the task running, valid while `busy`. */
  private current = 0
  private sequence = 0
  private waiters: Waiter[] = []
  private waitersHead = 0
  private idleWaiters: IdleWaiter[] = []

  /** The number of tasks running or waiting. */
  get size(): number {
    return this.count
  }

  /** run: runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted === true) return Promise.reject(abortErrorOf(signal))
    const sequence = ++this.sequence
    this.count++
    if (!this.busy) return this.start(task, sequence)
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        // Only a task still waiting can leave: one that has started is the task's own business.
        if (!this.remove(waiter)) return
        this.count--
        this.settleIdleWaiters()
        reject(abortErrorOf(signal as AbortSignal))
      }
      const waiter: Waiter = {
        sequence,
        start: () => {
          this.start(task, sequence).then(resolve, reject)
        },
        forget: () => signal?.removeEventListener('abort', onAbort),
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(waiter)
    })
  }

  /** idle: resolves once every task queued so far has settled. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve()
    return new Promise<void>((resolve) => {
      this.idleWaiters.push({ sequence: this.sequence, resolve })
    })
  }

  private start<T>(task: () => Promise<T>, sequence: number): Promise<T> {
    this.busy = true
    this.current = sequence
    let result: Promise<T>
    try {
      result = task()
    } catch (error) {
      // A task that throws before its first await rejects like one that throws after it.
      result = rejectWith(error)
    }
    return result.then(this.finishWith, this.finishThrowing)
  }

  /** The running task fulfilled: the next one starts, and its value passes on (one function for every task). */
  private readonly finishWith = <T>(value: T): T => {
    this.finish()
    return value
  }

  private readonly finishThrowing = (error: unknown): never => {
    this.finish()
    throw error
  }

  /** finish: the running task settled: the next waiter (if any) starts. */
  private finish(): void {
    this.count--
    this.busy = false
    const next = this.shift()
    if (next !== undefined) {
      next.forget()
      next.start()
    }
    this.settleIdleWaiters()
  }

  private shift(): Waiter | undefined {
    if (this.waitersHead === this.waiters.length) return undefined
    const waiter = this.waiters[this.waitersHead] as Waiter
    this.waiters[this.waitersHead++] = EMPTY_WAITER
    if (this.waitersHead === this.waiters.length) {
      this.waiters = []
      this.waitersHead = 0
    }
    return waiter
  }

  private remove(waiter: Waiter): boolean {
    const at = this.waiters.indexOf(waiter, this.waitersHead)
    if (at === -1) return false
    this.waiters.splice(at, 1)
    if (this.waitersHead === this.waiters.length) {
      this.waiters = []
      this.waitersHead = 0
    }
    return true
  }

  /** The lowest sequence number still running or waiting, or Infinity. */
  private oldest(): number {
    if (this.busy) return this.current
    const first = this.waiters[this.waitersHead]
    return first === undefined ? Infinity : first.sequence
  }

  private settleIdleWaiters(): void {
    if (this.idleWaiters.length === 0) return
    const oldest = this.oldest()
    const ready = this.idleWaiters.filter((waiter) => waiter.sequence < oldest)
    if (ready.length === 0) return
    this.idleWaiters = this.idleWaiters.filter((waiter) => waiter.sequence >= oldest)
    for (const waiter of ready) waiter.resolve()
  }
}

const EMPTY_WAITER: Waiter = { sequence: 0, start: () => undefined, forget: () => undefined }
