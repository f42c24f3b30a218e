import { accessSync, constants, statSync } from 'node:fs'

/**
 * memoryDirectory: a directory on a memory file system (Linux's `/dev/shm`), or undefined where there is
 * none, for what would otherwise measure the disk instead of the client. It serves two comparisons:
 * - postfix's spool (smtp): a daemon that fsyncs what a client sends (its queue files) then measures the
 *   client, not the disk under it: on a disk-backed `$TMPDIR` here postfix took 3.5 s for 200 messages
 *   of 1 MiB even from a bare socket loop, on tmpfs 2.1 s.
 * - the FTP small-files download target (ftp): on ext4 here each file create (openat) cost about 490 us,
 *   which dominated every client downloading 1,000 files of 4 KiB (ftplib spent 1.18 s of 2.1 s in openat).
 */
export function memoryDirectory(): string | undefined {
  const candidate = '/dev/shm'
  try {
    if (!statSync(candidate).isDirectory()) return undefined
    accessSync(candidate, constants.W_OK)
    return candidate
  } catch {
    return undefined
  }
}
