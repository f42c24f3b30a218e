/**
 * @netc/ftp: an FTP and FTPS client for Node.js (RFC 959, 2228, 2389, 2428, 3659, 4217, 7151).
 *
 * ```ts
 * import { FtpClient } from '@netc/ftp'
 * await using ftp = await FtpClient.connect('ftp://dave:secret@ftp.example.com', { secure: 'explicit' })
 * ```
 */
export { FtpClient, type FtpClientState } from './client/ftp-client.ts'
export type { FtpClientOptions } from './client/ftp-client-options.ts'
export { FtpPool, type FtpPoolOptions, type FtpPoolReconnect } from './client/ftp-pool.ts'
export type { DownloadOptions, TransferOptions, UploadOptions } from './client/transfer-options.ts'
export { assertLocalName, type DirectoryTransferResult } from './client/directory-transfer.ts'
export type { ProgressCallback, TransferProgress } from './client/progress.ts'
export type { UploadSource } from './client/upload.ts'
export { FtpReplyError } from './ftp-reply-error.ts'
export * from './parsers/index.ts'

// The transport's names a caller of this package needs (commands for `execute`, the error classes to test
// with `isInstance`), so that one import does.
export {
  AbortError,
  ClosedError,
  Command,
  ConnectionError,
  InvalidArgumentError,
  InvalidStateError,
  NetcError,
  ProtocolError,
  ReplyError,
  TimeoutError,
  TlsError,
  type CodedReply,
} from '@netc/transport'
