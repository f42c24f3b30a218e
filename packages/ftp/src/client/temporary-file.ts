import { randomBytes } from 'node:crypto'
import { close, closeSync, open, rmSync, writeSync } from 'node:fs'
import { rename } from 'node:fs/promises'
import { promisify } from 'node:util'
import { FileReceiver } from './receive-to-file.ts'

const openAsync = promisify(open)
const closeAsync = promisify(close)

/** Files up to this size are kept in memory and written at once (synchronously) when the data ends. */
const SMALL_FILE_BYTES = 256 * 1024

/**
 * TemporaryFile: where a download to a path goes before it is complete: `<path>.<random>.part` beside
 * the target, renamed over it by `commit()` and removed by `discard()`, so that a failure leaves nothing
 * behind (and an old file at `path` survives it).
 *
 * The file is created at once, in the thread pool, while the transfer is set up (EPSV, RETR: creating a
 * file took 1.1 ms here, about a third of a small file's whole time). A file that ends within 256 KiB is
 * collected in memory and written and closed synchronously when its data connection ends, while the
 * server's 226 is on its way (two thread-pool round trips saved; each waits for a thread to be
 * scheduled, which costs more than these calls hold the event loop). A bigger file is written by a
 * `FileReceiver` with asynchronous positional writes.
 *
 * ```ts
 * const part = new TemporaryFile('./dave.txt')
 * const receiver = part.receiver()   // its `onread` goes to the data connection
 * await receiver.receive(data)       // C: RETR dave.txt  S: 150 ...  (bytes, EOF)  S: 226 ...
 * await part.commit()                // ./dave.txt.3f9a0c1b22de.part → ./dave.txt
 * ```
 */
export class TemporaryFile {
  /** The target path. */
  readonly path: string
  /** The temporary file's path. */
  readonly temporary: string
  readonly #opening: Promise<number>
  /** Who closes the descriptor: this file until the receiver takes it, then the receiver. */
  #owned = true

  private constructor(path: string, temporary: string, opening: Promise<number>) {
    this.path = path
    this.temporary = temporary
    this.#opening = opening
  }

  /** TemporaryFile.create: creates `<path>.<random>.part` (exclusively) in the background; its errors come from `receive` or `commit`. */
  static create(path: string): TemporaryFile {
    const temporary = `${path}.${randomBytes(6).toString('hex')}.part`
    const opening = openAsync(temporary, 'wx')
    opening.catch(() => undefined) // surfaces where it is awaited
    return new TemporaryFile(path, temporary, opening)
  }

  /** receiver: a FileReceiver for the whole file into the temporary file. */
  receiver(onChunk?: (chunk: Buffer) => void): FileReceiver {
    return new FileReceiver({
      position: 0,
      open: () => {
        this.#owned = false
        return this.#opening
      },
      small: { limit: SMALL_FILE_BYTES, write: (bytes) => this.#writeSmall(bytes) },
      onChunk,
    })
  }

  /**
   * commit: renames the temporary file over the target (empty when no byte came), in the thread pool:
   * a rename is a directory update that can wait on the file system's journal, and parallel transfers
   * (FtpPool) must not queue behind each other's.
   */
  async commit(): Promise<void> {
    if (this.#owned) await this.#writeSmall(Buffer.alloc(0))
    await rename(this.temporary, this.path)
  }

  /** discard: closes and removes the temporary file (never throws). */
  async discard(): Promise<void> {
    const descriptor = await this.#opening.catch(() => undefined)
    if (descriptor === undefined) return
    if (this.#owned) {
      this.#owned = false
      await closeAsync(descriptor).catch(() => undefined)
    }
    rmSync(this.temporary, { force: true })
  }

  async #writeSmall(bytes: Buffer): Promise<void> {
    const descriptor = await this.#opening
    if (!this.#owned) return
    this.#owned = false
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(descriptor, bytes, at, bytes.length - at)
    } finally {
      closeSync(descriptor)
    }
  }
}
