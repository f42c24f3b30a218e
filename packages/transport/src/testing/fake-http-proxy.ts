import type { Socket } from 'node:net'
import { FakeProxyBase, type FakeProxyOptions } from './fake-proxy-base.ts'

/** Options of `FakeHttpProxy.start`: credentials to require, a status to refuse with, faults. */
export interface FakeHttpProxyOptions extends FakeProxyOptions {
  /** Answer every CONNECT with this status and close (403, 502, ...). */
  refuse?: number
  /**
   * Hold the `200` until the target's first bytes arrive and send both in one write, as some proxies do:
   * the client must hand those bytes on, not lose them.
   */
  coalesce?: boolean
}

/**
 * FakeHttpProxy: an in-process HTTP CONNECT proxy (RFC 9110 section 9.3.6) on 127.0.0.1, port 0, with
 * Basic proxy authentication (407 without it); it records each request's head (`heads`) and can refuse,
 * stall, answer garbage or send the target's first bytes with its `200`.
 *
 * ```ts
 * await using proxy = await FakeHttpProxy.start({ auth: { username: 'dave', password: 'secret' } })
 * await NntpClient.connect({ host, port, proxy: `http://dave:secret@127.0.0.1:${proxy.port}` })
 * ```
 */
export class FakeHttpProxy extends FakeProxyBase {
  /** The raw request heads received, in order. */
  readonly heads: string[] = []
  private readonly extra: FakeHttpProxyOptions

  private constructor(options: FakeHttpProxyOptions) {
    super(options)
    this.extra = options
  }

  static async start(options: FakeHttpProxyOptions = {}): Promise<FakeHttpProxy> {
    const proxy = new FakeHttpProxy(options)
    await proxy.listen()
    return proxy
  }

  protected handle(socket: Socket): void {
    let received = Buffer.alloc(0)
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk])
      const end = received.indexOf('\r\n\r\n')
      if (end < 0) return
      socket.off('data', onData)
      socket.pause()
      this.answer(socket, received.subarray(0, end).toString('latin1'), received.subarray(end + 4))
    }
    socket.on('data', onData)
  }

  private answer(socket: Socket, head: string, early: Buffer): void {
    this.heads.push(head)
    if (this.options.garbage !== undefined) return void socket.end(this.options.garbage)
    const [method = '', authority = ''] = head.split('\r\n')[0]?.split(' ') ?? []
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority)
    if (method !== 'CONNECT' || !match) return void socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
    const user = this.authorizedUser(head)
    this.requests.push({ host: match[1] ?? '', port: Number(match[2]), user: user ?? undefined })
    if (user === null) return void socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="fake"\r\n\r\n')
    if (this.extra.refuse !== undefined) return void socket.end(`HTTP/1.1 ${this.extra.refuse} Refused by the fake proxy\r\n\r\n`)
    const established = 'HTTP/1.1 200 Connection established\r\nProxy-Agent: netc-fake\r\n\r\n'
    this.relay(socket, match[1] ?? '', Number(match[2]), (target) => {
      if (target === undefined) return void socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
      if (early.length > 0) target.write(early)
      if (this.extra.coalesce !== true) return void socket.write(established)
      return new Promise<void>((resolve) => {
        target.once('data', (first: Buffer) => {
          target.pause()
          socket.write(Buffer.concat([Buffer.from(established), first]))
          resolve()
        })
      })
    })
  }

  /** The user of a valid `Proxy-Authorization: Basic`, `undefined` when none is needed, `null` when refused. */
  private authorizedUser(head: string): string | null | undefined {
    const auth = this.options.auth
    if (auth === undefined) return undefined
    const header = /^proxy-authorization:\s*basic\s+(\S+)$/im.exec(head)
    const [user, ...rest] = Buffer.from(header?.[1] ?? '', 'base64').toString().split(':')
    return header !== null && user === auth.username && rest.join(':') === auth.password ? user : null
  }
}
