import type { Readable, Writable } from 'node:stream'
import { ClosedError, InvalidArgumentError } from '@netc/transport'
import { FtpClient } from './ftp-client.ts'
import type { FtpClientOptions } from './ftp-client-options.ts'
import type { DownloadOptions, UploadOptions } from './transfer-options.ts'
import type { UploadSource } from './upload.ts'

/** FtpPoolOptions: the client options, and how many connections at most (default 4). */
export interface FtpPoolOptions extends FtpClientOptions {
  size?: number
}

/**
 * FtpPool: up to `size` logged-in FtpClients that run transfers in parallel. Tasks wait in order for a
 * free client; a client that broke is dropped and replaced by a new one on demand.
 *
 * ```ts
 * await using pool = await FtpPool.connect('ftp://dave:secret@ftp.example.com', { size: 4 })
 * await Promise.all(names.map((name) => pool.download(name, `./out/${name}`)))
 * ```
 */
export class FtpPool implements AsyncDisposable {
  readonly size: number
  readonly #target: string | URL | FtpClientOptions
  readonly #options: FtpClientOptions
  readonly #idle: FtpClient[] = []
  readonly #all = new Set<FtpClient>()
  readonly #waiters: Array<{ resolve: (client: FtpClient) => void; reject: (error: Error) => void }> = []
  #opening = 0
  #closed = false

  private constructor(target: string | URL | FtpClientOptions, options: FtpPoolOptions) {
    const { size = 4, ...clientOptions } = options
    if (!Number.isInteger(size) || size < 1) throw new InvalidArgumentError(`pool size must be a positive integer, not ${size}`)
    this.size = size
    this.#target = target
    this.#options = clientOptions
  }

  /** FtpPool.connect: opens the first connection now (so that a bad host or login fails here), the rest on demand. */
  static async connect(target: string | URL | FtpClientOptions, options: FtpPoolOptions = {}): Promise<FtpPool> {
    const pool = new FtpPool(target, options)
    const first = await FtpClient.connect(target, pool.#options)
    pool.#all.add(first)
    pool.#idle.push(first)
    return pool
  }

  /** run: runs `task` with a client of its own; the client goes back to the pool afterwards. */
  async run<T>(task: (client: FtpClient) => Promise<T>): Promise<T> {
    const client = await this.#acquire()
    try {
      return await task(client)
    } finally {
      this.#release(client)
    }
  }

  download(remote: string, destination: string | Writable, options?: DownloadOptions): Promise<number> {
    return this.run((client) => client.download(remote, destination, options))
  }

  upload(source: UploadSource | Readable, remote: string, options?: UploadOptions): Promise<number> {
    return this.run((client) => client.upload(source, remote, options))
  }

  /** close: closes every client (QUIT) once its task is done; waiting tasks reject with ClosedError. */
  async close(): Promise<void> {
    this.#closed = true
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new ClosedError('the FTP pool is closed'))
    await Promise.all([...this.#all].map((client) => client.close()))
    this.#all.clear()
    this.#idle.length = 0
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  async #acquire(): Promise<FtpClient> {
    if (this.#closed) throw new ClosedError('the FTP pool is closed')
    const idle = this.#idle.pop()
    if (idle !== undefined) return idle
    if (this.#all.size + this.#opening < this.size) return this.#open()
    return new Promise<FtpClient>((resolve, reject) => this.#waiters.push({ resolve, reject }))
  }

  async #open(): Promise<FtpClient> {
    this.#opening++
    try {
      const client = await FtpClient.connect(this.#target, this.#options)
      this.#all.add(client)
      return client
    } finally {
      this.#opening--
    }
  }

  #release(client: FtpClient): void {
    if (client.state !== 'ready' || this.#closed) {
      this.#all.delete(client)
      if (client.state === 'ready') void client.close()
      const waiter = this.#closed ? undefined : this.#waiters.shift()
      if (waiter !== undefined) this.#open().then(waiter.resolve, waiter.reject)
      return
    }
    const waiter = this.#waiters.shift()
    if (waiter !== undefined) waiter.resolve(client)
    else this.#idle.push(client)
  }
}
