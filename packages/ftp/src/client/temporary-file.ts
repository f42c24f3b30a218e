import { randomBytes } from 'node:crypto'
import { closeSync, open, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { rename } from 'node:fs/promises'
import { promisify } from 'node:util'
import { FileReceiver } from './receive-to-file.ts'

const openAsync = promisify(open)

/** Files up to this size are kept in memory and written at once (synchronously) when the data ends. */
const SMALL_FILE_BYTES = 256 * 1024

/** One random stem per process and a counter: unique `.part` names without a random draw per file. */
const stem = randomBytes(6).toString('hex')
let counter = 0

/** temporaryName: `<path>.<random>.part`, beside the target (so that the rename stays on one file system). */
export function temporaryName(path: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER
  return `${path}.${stem}${counter.toString(36)}.part`
}

/**
 * TemporaryFile: where a download to a path goes before it is complete: `<path>.<random>.part` beside
 * the target, renamed over it by `commit()` and removed by `discard()`, so that a failure leaves nothing
 * behind (and an old file at `path` survives it).
 *
 * A file that ends within 256 KiB is collected in memory, then created, written and closed
 * synchronously when its data connection ends (while the server's 226 is on its way), and renamed
 * synchronously once the 226 came: no thread-pool round trip at all. Each such round trip wakes a
 * pool thread and waits for it to be scheduled, which costs more than these calls hold the event loop
 * on a busy machine (1,000 small files: about a third of the client's time went to them). A bigger
 * file is created when its first bytes are due and written by a `FileReceiver` with asynchronous
 * positional writes.
 *
 * ```ts
 * const part = TemporaryFile.create('./dave.txt')
 * const receiver = part.receiver()   // its `onread` goes to the data connection
 * await receiver.receive(data)       // C: RETR dave.txt  S: 150 ...  (bytes, EOF)  S: 226 ...
 * await part.commit()                // ./dave.txt.3f9a0c1b22de1.part → ./dave.txt
 * ```
 */
export class TemporaryFile {
  /** The target path. */
  readonly path: string
  /** The temporary file's path. */
  readonly temporary: string
  /** The large path's file, opened when the receiver asks (the receiver closes it). */
  #opening: Promise<number> | undefined
  /** The small path wrote and closed the file. */
  #written = false

  private constructor(path: string, temporary: string) {
    this.path = path
    this.temporary = temporary
  }

  /** TemporaryFile.create: names `<path>.<random>.part`; nothing is created before bytes are due. */
  static create(path: string): TemporaryFile {
    return new TemporaryFile(path, temporaryName(path))
  }

  /** receiver: a FileReceiver for the whole file into the temporary file. */
  receiver(onChunk?: (chunk: Buffer) => void): FileReceiver {
    return new FileReceiver({
      position: 0,
      open: () => {
        this.#opening ??= openAsync(this.temporary, 'wx')
        return this.#opening
      },
      small: { limit: SMALL_FILE_BYTES, write: (bytes) => this.#writeSmall(bytes) },
      onChunk,
    })
  }

  /**
   * commit: renames the temporary file over the target (an empty file when no byte came). A small
   * file's rename is synchronous (one directory update: nothing returned, no promise made); a big
   * file's runs in the thread pool (its promise is returned), where a wait on the file system's journal
   * does not hold the parallel transfers of an FtpPool. Throws (or rejects) as `rename` does.
   */
  commit(): Promise<void> | undefined {
    if (this.#opening !== undefined) return rename(this.temporary, this.path)
    if (!this.#written) this.#writeSmall(Buffer.alloc(0))
    renameSync(this.temporary, this.path)
    return undefined
  }

  /** discard: removes the temporary file, if it was made (never throws). */
  async discard(): Promise<void> {
    if (this.#opening !== undefined) await this.#opening.catch(() => undefined)
    rmSync(this.temporary, { force: true })
  }

  #writeSmall(bytes: Buffer): void {
    if (this.#written) return
    this.#written = true
    const descriptor = openSync(this.temporary, 'wx')
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(descriptor, bytes, at, bytes.length - at)
    } finally {
      closeSync(descriptor)
    }
  }
}
