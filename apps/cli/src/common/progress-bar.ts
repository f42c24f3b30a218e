import cliProgress from 'cli-progress'

/** Progress: what a transfer reports (the shape of @netc/ftp's TransferProgress that the bar needs). */
export interface Progress {
  bytes: number
  totalBytes: number | undefined
  offset: number
  done: boolean
}

/** ProgressBar: an `onProgress` callback and a `stop` to call when the transfer ends, however it ends. */
export interface ProgressBar {
  onProgress: ((progress: Progress) => void) | undefined
  stop(): void
}

/**
 * progressBar: a cli-progress bar on stderr when stderr is a terminal (and nothing otherwise, so pipes
 * and logs stay clean).
 *
 * ```
 * dave.txt [=================>      ] 74% | 3.1 MB/4.2 MB
 * ```
 */
export function progressBar(label: string, json: boolean): ProgressBar {
  if (!process.stderr.isTTY || json) return { onProgress: undefined, stop: () => undefined }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {done}/{all}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.legacy,
  )
  let started = false
  return {
    onProgress: (progress) => {
      const total = progress.totalBytes === undefined ? progress.bytes : Math.max(progress.totalBytes - progress.offset, progress.bytes)
      const payload = { done: formatBytes(progress.bytes), all: progress.totalBytes === undefined ? '?' : formatBytes(total) }
      if (!started) bar.start(total, progress.bytes, payload)
      else bar.setTotal(total)
      started = true
      bar.update(progress.bytes, payload)
    },
    stop: () => {
      if (started) bar.stop()
    },
  }
}

/** formatBytes: `1.5 MB`, `812 B`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 'B'
  for (const next of units) {
    if (value < 1000) break
    value /= 1000
    unit = next
  }
  return `${value.toFixed(1)} ${unit}`
}
