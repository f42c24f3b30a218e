import { mkdir, readdir } from 'node:fs/promises'
import { isAbsolute, join, resolve, sep } from 'node:path'
import { ProtocolError } from '@netc/transport'
import type { FileInfo } from '../parsers/file-info.ts'
import { joinRemote } from './path-commands.ts'
import type { TransferOptions } from './transfer-options.ts'

/** What a directory transfer did. */
export interface DirectoryTransferResult {
  /** Files transferred. */
  files: number
  /** Bytes transferred, all files together. */
  bytes: number
  /** Entries left alone: symlinks (never followed), devices, entries of unknown type. */
  skipped: string[]
}

/** The client operations a directory transfer needs. */
export interface DirectoryTransferClient {
  list(path?: string, options?: { signal?: AbortSignal }): Promise<FileInfo[]>
  download(remote: string, destination: string, options?: TransferOptions): Promise<number>
  upload(source: string, remote: string, options?: TransferOptions): Promise<number>
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>
}

/**
 * assertLocalName: a server-supplied name must stay inside the local target (DESIGN.md principle 8): no
 * `/` or `\`, no `.` or `..`, no NUL, no Windows drive (`C:`), nothing absolute. Throws `ProtocolError`.
 */
export function assertLocalName(name: string, target: string): string {
  const unsafe =
    name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name) || /^[A-Za-z]:/.test(name) || isAbsolute(name)
  const path = resolve(target, name)
  if (unsafe || !path.startsWith(resolve(target) + sep)) {
    throw new ProtocolError(`the server listed a name that would escape ${target}: ${JSON.stringify(name)}`)
  }
  return path
}

/** How many files of a directory transfer are queued on the connection at once. */
const FILES_IN_FLIGHT = 8

/**
 * TransferWindow: up to `size` file transfers under way at once, queued in order on one connection
 * (calls on a client queue FIFO), so that each file's local work (creating its `.part` file, the rename
 * once the 226 came) overlaps the next file's EPSV and RETR instead of waiting between them. The first
 * failure stops new transfers; `drain` waits for those under way and throws it.
 */
class TransferWindow {
  readonly #size: number
  readonly #running = new Set<Promise<void>>()
  #failure: { error: unknown } | undefined

  constructor(size: number) {
    this.#size = size
  }

  /** add: starts `task` once fewer than `size` run; throws the first failure instead of starting more. */
  async add(task: () => Promise<void>): Promise<void> {
    while (this.#running.size >= this.#size && this.#failure === undefined) await Promise.race(this.#running)
    this.#throwFailure()
    const running = task().then(
      () => undefined,
      (error: unknown) => {
        this.#failure ??= { error }
      },
    )
    const tracked = running.finally(() => this.#running.delete(tracked))
    this.#running.add(tracked)
  }

  /** drain: waits for every transfer under way; throws the first failure. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running)
    this.#throwFailure()
  }

  #throwFailure(): void {
    if (this.#failure !== undefined) throw this.#failure.error
  }
}

/** windowed: runs a tree walk that queues its files in one TransferWindow; the walk's own error wins over a transfer's. */
async function windowed(walk: (result: DirectoryTransferResult, window: TransferWindow) => Promise<void>): Promise<DirectoryTransferResult> {
  const result: DirectoryTransferResult = { files: 0, bytes: 0, skipped: [] }
  const window = new TransferWindow(FILES_IN_FLIGHT)
  try {
    await walk(result, window)
  } catch (error) {
    await window.drain().catch(() => undefined) // the walk's error is the one to report
    throw error
  }
  await window.drain()
  return result
}

/**
 * downloadDirectory: a remote directory tree into a local directory, each file through its `.part`
 * file, up to 8 files queued at once on the connection. Server names are checked before use; symlinks
 * are not followed.
 *
 * ```
 * C: MLSD docs   S: 150 ...  (type=file;size=4096; a.txt ...)  S: 226 ...
 * C: EPSV  C: RETR docs/a.txt  ...  C: EPSV  C: RETR docs/b.txt  ...   (one after the other, no gap)
 * ```
 */
export async function downloadDirectory(
  client: DirectoryTransferClient,
  remote: string,
  local: string,
  options: TransferOptions = {},
): Promise<DirectoryTransferResult> {
  return windowed((result, window) => downloadTree(client, remote, local, options, result, window))
}

async function downloadTree(
  client: DirectoryTransferClient,
  remote: string,
  local: string,
  options: TransferOptions,
  result: DirectoryTransferResult,
  window: TransferWindow,
): Promise<void> {
  await mkdir(local, { recursive: true })
  for (const entry of await client.list(remote, options)) {
    const target = assertLocalName(entry.name, local)
    const source = joinRemote(remote, entry.name)
    if (entry.type === 'directory') await downloadTree(client, source, target, options, result, window)
    else if (entry.type === 'file') {
      await window.add(async () => {
        const bytes = await client.download(source, target, options) // not `+= await`: transfers overlap
        result.bytes += bytes
        result.files += 1
      })
    } else result.skipped.push(source)
  }
}

/**
 * uploadDirectory: a local directory tree to a remote directory (made with its parents), up to 8 files
 * queued at once on the connection; symlinks are not followed.
 */
export async function uploadDirectory(
  client: DirectoryTransferClient,
  local: string,
  remote: string,
  options: TransferOptions = {},
): Promise<DirectoryTransferResult> {
  return windowed((result, window) => uploadTree(client, local, remote, options, result, window))
}

async function uploadTree(
  client: DirectoryTransferClient,
  local: string,
  remote: string,
  options: TransferOptions,
  result: DirectoryTransferResult,
  window: TransferWindow,
): Promise<void> {
  await client.mkdir(remote, { recursive: true })
  for (const entry of await readdir(local, { withFileTypes: true })) {
    const source = join(local, entry.name)
    const target = joinRemote(remote, entry.name)
    if (entry.isDirectory()) await uploadTree(client, source, target, options, result, window)
    else if (entry.isFile()) {
      await window.add(async () => {
        const bytes = await client.upload(source, target, options)
        result.bytes += bytes
        result.files += 1
      })
    } else result.skipped.push(source)
  }
}
