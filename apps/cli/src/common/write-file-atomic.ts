import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'

/**
 * writeFileAtomic: writes `path` through `<path>.<random>.part` and renames it at the end, so a failure
 * leaves no partial file (as @netc/ftp's download to a path does).
 *
 * ```
 * await writeFileAtomic('message-3.eml', body)
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.part`
  try {
    await writeFile(temporary, data, { flag: 'wx' })
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
