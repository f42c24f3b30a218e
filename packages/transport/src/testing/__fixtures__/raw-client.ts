import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'

/**
 * RawClient: a plain node:net / node:tls client for the tests of ./testing: it records every 'data'
 * event and lets a test wait for text. Test-only (under __fixtures__, not published).
 */
export class RawClient {
  socket: Socket
  /** Each 'data' event's chunk, in order (after a TLS upgrade, the decrypted ones). */
  readonly chunks: Buffer[] = []
  #ended = false
  #error: Error | undefined
  #listeners: Array<() => void> = []

  private constructor(socket: Socket) {
    this.socket = socket
    this.#watch(socket)
  }

  /** Connects in plaintext; resolves once connected. */
  static async connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    const socket = netConnect({ port, host })
    const client = new RawClient(socket) // listening from the start, so no 'data' event is merged by delay
    await waitFor(socket, 'connect')
    return client
  }

  /** Connects over TLS, verifying with `ca`; rejects when the handshake or verification fails. */
  static async connectTls(port: number, ca: string | undefined, host = '127.0.0.1'): Promise<RawClient> {
    const socket = tlsConnect({ port, host, ...(ca === undefined ? {} : { ca }) })
    const client = new RawClient(socket)
    await waitFor(socket, 'secureConnect')
    return client
  }

  /** Everything received so far, as latin1 text. */
  get text(): string {
    return Buffer.concat(this.chunks).toString('latin1')
  }

  /** True after EOF or close. */
  get ended(): boolean {
    return this.#ended
  }

  write(data: string | Buffer): void {
    this.socket.write(data)
  }

  /** Resolves once `predicate` holds for what was received (checked after every event); rejects at EOF. */
  async until(predicate: (text: string) => boolean, what = 'the expected data'): Promise<string> {
    for (;;) {
      if (predicate(this.text)) return this.text
      if (this.#ended) throw new Error(`EOF before ${what}; got ${JSON.stringify(this.text)}`, { cause: this.#error })
      await new Promise<void>((resolve) => this.#listeners.push(resolve))
    }
  }

  /** Resolves once the text received contains `text`. */
  waitFor(text: string): Promise<string> {
    return this.until((received) => received.includes(text), JSON.stringify(text))
  }

  /** Resolves at EOF / close. */
  async waitForEnd(): Promise<void> {
    while (!this.#ended) await new Promise<void>((resolve) => this.#listeners.push(resolve))
  }

  /** STARTTLS, client side: wraps the socket and verifies with `ca`. */
  async startTls(ca: string, servername?: string): Promise<void> {
    const plain = this.socket
    plain.removeAllListeners('data')
    const secure: TLSSocket = tlsConnect({ socket: plain, ca, ...(servername === undefined ? {} : { servername }) })
    await waitFor(secure, 'secureConnect')
    this.socket = secure
    this.chunks.length = 0
    this.#watch(secure)
  }

  destroy(): void {
    this.socket.destroy()
  }

  #watch(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk)
      this.#notify()
    })
    socket.on('error', (error) => (this.#error = error))
    socket.on('end', () => this.#end())
    socket.on('close', () => this.#end())
  }

  #end(): void {
    this.#ended = true
    this.#notify()
  }

  #notify(): void {
    for (const listener of this.#listeners.splice(0)) listener()
  }
}

function waitFor(socket: Socket, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      socket.destroy()
      reject(error)
    }
    socket.once('error', onError)
    socket.once(event, () => {
      socket.off('error', onError)
      resolve()
    })
  })
}
