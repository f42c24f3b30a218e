import type { ProgressCallback } from './progress.ts'

/** TransferOptions: what every transfer takes. */
export interface TransferOptions {
  /** Called with the bytes moved, the rate and the ETA, at most every 100 ms and at the end. */
  onProgress?: ProgressCallback
  /** Aborts the transfer: the client sends ABOR, reads the replies and stays usable; the call rejects with AbortError. */
  signal?: AbortSignal
  /** ASCII mode (TYPE A, RFC 959 section 3.1.1.1) with line-ending conversion; binary (TYPE I) otherwise. */
  ascii?: boolean
}

/** DownloadOptions: a download; `offset` or `resume` continue an earlier one with REST (RFC 3659 section 5). */
export interface DownloadOptions extends TransferOptions {
  /** Start at this byte of the remote file. */
  offset?: number
  /**
   * Continue a partial local file (download to a path only): the bytes it already has are not fetched
   * again, and a failure truncates it back to them.
   */
  resume?: boolean
  /**
   * Download to a path over this many connections at once, each fetching a range with REST (as lftp's
   * pget): the extra connections log in with the client's options and are closed afterwards. One stream
   * when SIZE or REST is refused, or when the file is under 1 MiB a segment.
   */
  segments?: number
}

/** UploadOptions: an upload; `resume` continues a partial remote file (SIZE, then REST + STOR). */
export interface UploadOptions extends TransferOptions {
  /** Continue where the remote file ends (source: a path or a Buffer). */
  resume?: boolean
}
