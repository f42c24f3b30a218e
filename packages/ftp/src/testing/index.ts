/** @netc/ftp/testing: an in-process fake FTP/FTPS server for tests. */
export { FtpTestServer } from './ftp-test-server.ts'
export type { FtpServerFaults, FtpTestServerOptions } from './ftp-test-server-options.ts'
export { MemoryFileSystem, type MemoryEntry, type MemoryFile } from './memory-file-system.ts'
