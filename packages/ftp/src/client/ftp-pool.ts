import type { Readable, Writable } from 'node:stream'
import { ClosedError, ConnectionError, InvalidArgumentError, ReplyError, TimeoutError } from '@netc/transport'
import { FtpClient } from './ftp-client.ts'
import type { FtpClientOptions } from './ftp-client-options.ts'
import type { DownloadOptions, UploadOptions } from './transfer-options.ts'
import type { UploadSource } from './upload.ts'

/**
 * FtpPoolReconnect: how the pool replaces connections that the server closed (an idle timeout's 421,
 * EOF, a restart): up to `retries` more attempts to open one, `minDelay` ms before the first, doubling
 * up to `maxDelay`; and as many retries of a transfer that failed on a dead connection before the
 * server began it (no byte moved).
 */
export interface FtpPoolReconnect {
  /** Default 3. */
  retries?: number
  /** Default 100 ms. */
  minDelay?: number
  /** Default 2000 ms. */
  maxDelay?: number
}

/** FtpPoolOptions: the client options, how many connections at most (default 4), and the reconnect policy (`false`: none). */
export interface FtpPoolOptions extends FtpClientOptions {
  size?: number
  reconnect?: FtpPoolReconnect | false
}

/**
 * FtpPool: up to `size` logged-in FtpClients that run transfers in parallel. Tasks wait in order for a
 * free client; a client that broke is dropped and replaced by a new one on demand. Connections that the
 * server closed while idle (vsftpd's `idle_session_timeout`: `421 Timeout.`, then EOF) are replaced,
 * with bounded backoff when the server is briefly away; a `download` or `upload` that failed because
 * its connection was dead before the server began the transfer is run again on a new one, and one that
 * failed mid-transfer is reported (a download to a path leaves nothing behind).
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
  readonly #reconnect: Required<FtpPoolReconnect>
  #opening = 0
  #closed = false

  private constructor(target: string | URL | FtpClientOptions, options: FtpPoolOptions) {
    const { size = 4, reconnect = {}, ...clientOptions } = options
    if (!Number.isInteger(size) || size < 1) throw new InvalidArgumentError(`pool size must be a positive integer, not ${size}`)
    this.size = size
    this.#reconnect = reconnect === false ? { retries: 0, minDelay: 0, maxDelay: 0 } : { retries: 3, minDelay: 100, maxDelay: 2000, ...reconnect }
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

  /** download: `client.download` on a free client; retried on a new connection when its connection was dead before the transfer began. */
  download(remote: string, destination: string | Writable, options?: DownloadOptions): Promise<number> {
    return this.#retrying((client) => client.download(remote, destination, options))
  }

  /** upload: `client.upload` on a free client; retried as `download` is (the source was not read yet). */
  upload(source: UploadSource | Readable, remote: string, options?: UploadOptions): Promise<number> {
    return this.#retrying((client) => client.upload(source, remote, options))
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

  async #retrying<T>(task: (client: FtpClient) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.#acquire()
      const started = client.transfersStarted
      try {
        return await task(client)
      } catch (error) {
        // 421 (RFC 959): the server is closing this connection, whatever the socket says yet.
        if (ReplyError.isInstance(error) && error.replyCode === 421) client.destroy(error)
        const dead = client.state !== 'ready' && isConnectionLoss(error)
        if (!dead || client.transfersStarted !== started || attempt >= this.#reconnect.retries) throw error
      } finally {
        this.#release(client)
      }
    }
  }

  async #acquire(): Promise<FtpClient> {
    if (this.#closed) throw new ClosedError('the FTP pool is closed')
    for (let idle = this.#idle.pop(); idle !== undefined; idle = this.#idle.pop()) {
      if (idle.state === 'ready') return idle
      this.#all.delete(idle) // closed by the server while idle
    }
    if (this.#all.size + this.#opening < this.size) return this.#open()
    return new Promise<FtpClient>((resolve, reject) => this.#waiters.push({ resolve, reject }))
  }

  /** #open: a new client; transient failures (refused, timed out, 4xx) are tried again with doubling delays. */
  async #open(): Promise<FtpClient> {
    this.#opening++
    try {
      const { retries, minDelay, maxDelay } = this.#reconnect
      for (let attempt = 0; ; attempt++) {
        try {
          const client = await FtpClient.connect(this.#target, this.#options)
          this.#all.add(client)
          return client
        } catch (error) {
          if (this.#closed || attempt >= retries || !isTransient(error)) throw error
          await new Promise((resolve) => setTimeout(resolve, Math.min(maxDelay, minDelay * 2 ** attempt)))
        }
      }
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

/** isConnectionLoss: the connection went away (EOF, reset, closed, or a 421 goodbye). */
function isConnectionLoss(error: unknown): boolean {
  return ClosedError.isInstance(error) || ConnectionError.isInstance(error) || (ReplyError.isInstance(error) && error.replyCode === 421)
}

/** isTransient: worth another attempt later: refused or reset, timed out, or a 4xx (421 too many users). */
function isTransient(error: unknown): boolean {
  return ConnectionError.isInstance(error) || TimeoutError.isInstance(error) || (ReplyError.isInstance(error) && error.isTransient)
}
