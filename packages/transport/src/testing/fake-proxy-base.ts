import { connect, createServer, type Server, type Socket } from 'node:net'

/** What a fake proxy was asked: the target, and the user that logged in (if any). */
export interface ProxyRequest {
  host: string
  port: number
  user: string | undefined
}

/** The misbehaviours a fake proxy can show (DESIGN.md, tests layer 3). */
export interface FakeProxyFaults {
  /** Accept TCP and never answer (the client must time out). */
  stall?: boolean
  /** Answer the handshake with these bytes instead. */
  garbage?: Buffer
}

/** Options shared by `FakeSocksProxy` and `FakeHttpProxy`. */
export interface FakeProxyOptions extends FakeProxyFaults {
  /** Require these credentials (SOCKS5 user/password, HTTP Basic). */
  auth?: { username: string; password: string }
}

/**
 * FakeProxyBase: the socket bookkeeping of the in-process fake proxies: a TCP server on 127.0.0.1, port 0,
 * the connections it holds (all destroyed on close), the requests it saw, and the relay to the target.
 */
export abstract class FakeProxyBase implements AsyncDisposable {
  readonly host = '127.0.0.1'
  /** Every tunnel asked for, in order (refused ones included). */
  readonly requests: ProxyRequest[] = []
  protected readonly options: FakeProxyOptions
  private readonly server: Server
  private readonly sockets = new Set<Socket>()

  protected constructor(options: FakeProxyOptions) {
    this.options = options
    this.server = createServer((socket) => {
      this.track(socket)
      socket.on('error', () => undefined)
      if (this.options.stall === true) return
      this.handle(socket)
    })
  }

  /** The port the kernel picked. */
  get port(): number {
    const address = this.server.address()
    return typeof address === 'object' && address !== null ? address.port : 0
  }

  protected abstract handle(socket: Socket): void

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, this.host, () => resolve())
    })
  }

  /** relay: connects to the target and pipes both ways once `onOpen` (run when the target answered TCP) settles. */
  protected relay(client: Socket, host: string, port: number, onOpen: (target: Socket | undefined) => Promise<void> | void): void {
    const target = connect({ host, port })
    this.track(target)
    target.once('connect', () => {
      void Promise.resolve(onOpen(target)).then(() => {
        target.pipe(client)
        client.pipe(target)
      })
    })
    target.once('error', () => {
      void onOpen(undefined)
      client.destroy()
    })
    client.once('close', () => target.destroy())
    target.once('close', () => client.destroy())
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close()
  }

  private track(socket: Socket): void {
    this.sockets.add(socket)
    socket.once('close', () => this.sockets.delete(socket))
  }
}
