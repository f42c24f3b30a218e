/**
 * TransferProgress: where a transfer stands, given to `onProgress` at most every 100 ms and once at the end.
 *
 * ```ts
 * await ftp.download('big.iso', './big.iso', { onProgress: (p) => console.log(p.bytes, p.rate, p.eta) })
 * ```
 */
export interface TransferProgress {
  /** Bytes moved in this transfer (not counting a resumed offset). */
  bytes: number
  /** The whole size when known (SIZE for downloads; the source's size for uploads), offset included. */
  totalBytes: number | undefined
  /** The offset the transfer resumed from (REST). */
  offset: number
  /** Bytes per second since the transfer began. */
  rate: number
  /** Seconds left at the current rate, when the total is known. */
  eta: number | undefined
  /** Milliseconds since the transfer began. */
  elapsed: number
  /** True for the last call. */
  done: boolean
}

/** ProgressCallback: receives TransferProgress. */
export type ProgressCallback = (progress: TransferProgress) => void

/** ProgressMeter: counts bytes and calls back, throttled. */
export class ProgressMeter {
  private bytes = 0
  private readonly started = Date.now()
  private last = 0
  private readonly callback: ProgressCallback | undefined
  private readonly totalBytes: number | undefined
  private readonly offset: number

  constructor(callback: ProgressCallback | undefined, totalBytes: number | undefined, offset = 0) {
    this.callback = callback
    this.totalBytes = totalBytes
    this.offset = offset
  }

  /** The bytes counted so far. */
  get count(): number {
    return this.bytes
  }

  /** add: counts a chunk. */
  readonly add = (chunk: { length: number }): void => {
    this.bytes += chunk.length
    if (this.callback === undefined) return
    const now = Date.now()
    if (now - this.last < 100) return
    this.last = now
    this.report(false)
  }

  /** finish: the last report. */
  finish(): void {
    if (this.callback !== undefined) this.report(true)
  }

  private report(done: boolean): void {
    const elapsed = Date.now() - this.started
    const rate = elapsed > 0 ? (this.bytes * 1000) / elapsed : 0
    const left = this.totalBytes === undefined ? undefined : Math.max(0, this.totalBytes - this.offset - this.bytes)
    const eta = left === undefined ? undefined : done ? 0 : rate > 0 ? left / rate : undefined
    this.callback?.({ bytes: this.bytes, totalBytes: this.totalBytes, offset: this.offset, rate, eta, elapsed, done })
  }
}
