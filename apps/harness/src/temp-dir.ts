import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh directory for one daemon start: config, state, spool, logs and certificates all live in it. */
export interface TempDir {
  readonly path: string
  /** Removes the directory, unless NETC_HARNESS_KEEP=1 (then it stays for a post-mortem). */
  remove(): Promise<void>
}

/**
 * Makes `$TMPDIR/netc-<name>-XXXXXX` (or under `parent`), mode 0755: the daemons drop privileges to their
 * own users (postfix, news, dovenull, ftp) and must be able to traverse it.
 */
export async function makeTempDir(name: string, parent: string = tmpdir()): Promise<TempDir> {
  const path = await mkdtemp(join(parent, `netc-${name}-`))
  await chmod(path, 0o755)
  return {
    path,
    async remove() {
      if (process.env.NETC_HARNESS_KEEP === '1') return
      await rm(path, { recursive: true, force: true, maxRetries: 3 })
    },
  }
}
