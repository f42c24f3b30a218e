import type { Socket } from 'node:net'
import { FakeProxyBase, type FakeProxyOptions } from './fake-proxy-base.ts'

/** Options of `FakeSocksProxy.start`: credentials to require, a refusal to give, faults. */
export interface FakeSocksProxyOptions extends FakeProxyOptions {
  /** Refuse every CONNECT with this REP code (RFC 1928 section 6: 2 not allowed, 5 refused). */
  refuse?: number
}

/**
 * FakeSocksProxy: an in-process SOCKS5 proxy (RFC 1928, user/password RFC 1929) on 127.0.0.1, port 0, for
 * tests of the `proxy` option: it relays CONNECT to the target, records what it was asked, and can
 * require credentials, refuse, stall or answer garbage.
 *
 * ```ts
 * await using proxy = await FakeSocksProxy.start({ auth: { username: 'dave', password: 'secret' } })
 * await SmtpClient.connect({ host, port, proxy: `socks5h://dave:secret@127.0.0.1:${proxy.port}` })
 * proxy.requests  // [{ host: '127.0.0.1', port: 2525, user: 'dave' }]
 * ```
 */
export class FakeSocksProxy extends FakeProxyBase {
  private readonly refuse: number | undefined

  private constructor(options: FakeSocksProxyOptions) {
    super(options)
    this.refuse = options.refuse
  }

  static async start(options: FakeSocksProxyOptions = {}): Promise<FakeSocksProxy> {
    const proxy = new FakeSocksProxy(options)
    await proxy.listen()
    return proxy
  }

  protected handle(socket: Socket): void {
    void this.converse(socket).catch(() => socket.destroy())
  }

  private async converse(socket: Socket): Promise<void> {
    const read = reader(socket)
    const [version, count = 0] = await read(2)
    const methods = await read(count)
    if (this.options.garbage !== undefined) return void socket.end(this.options.garbage)
    if (version !== 5) return void socket.destroy()
    const wanted = this.options.auth === undefined ? 0x00 : 0x02
    if (!methods.includes(wanted)) return void socket.end(Buffer.from([5, 0xff]))
    socket.write(Buffer.from([5, wanted]))
    const user = wanted === 0x02 ? await this.authenticate(socket, read) : undefined
    if (user === null) return
    const [, command, , type] = await read(4)
    const host = await readAddress(read, type ?? 0)
    const [high = 0, low = 0] = await read(2)
    const port = high * 256 + low
    this.requests.push({ host, port, user })
    if (command !== 1 || this.refuse !== undefined) return void socket.end(reply(this.refuse ?? 7))
    const early = read.release()
    this.relay(socket, host, port, (target) => {
      socket.write(reply(target === undefined ? 5 : 0))
      if (early.length > 0) target?.write(early)
    })
  }

  /** RFC 1929: the user's name, or null after a refusal. */
  private async authenticate(socket: Socket, read: ExactReader): Promise<string | null> {
    const [, userLength = 0] = await read(2)
    const user = (await read(userLength)).toString()
    const [passwordLength = 0] = await read(1)
    const password = (await read(passwordLength)).toString()
    const ok = user === this.options.auth?.username && password === this.options.auth.password
    socket.write(Buffer.from([1, ok ? 0 : 1]))
    if (ok) return user
    socket.end()
    return null
  }
}

function reply(code: number): Buffer {
  return Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0])
}

async function readAddress(read: (count: number) => Promise<Buffer>, type: number): Promise<string> {
  if (type === 1) return [...(await read(4))].join('.')
  if (type === 3) return (await read((await read(1))[0] ?? 0)).toString()
  if (type === 4) return ((await read(16)).toString('hex').match(/.{4}/g) ?? []).join(':')
  throw new Error(`unknown address type ${type}`)
}

/** A pull reader of exact byte counts over a socket; `release()` stops it and returns what it held. */
interface ExactReader {
  (count: number): Promise<Buffer>
  release(): Buffer
}

function reader(socket: Socket): ExactReader {
  let buffered = Buffer.alloc(0)
  let waiting: (() => void) | undefined
  let ended = false
  const onData = (chunk: Buffer): void => {
    buffered = Buffer.concat([buffered, chunk])
    waiting?.()
  }
  const onEnd = (): void => {
    ended = true
    waiting?.()
  }
  socket.on('data', onData)
  socket.once('end', onEnd)
  const read = async (count: number): Promise<Buffer> => {
    while (buffered.length < count) {
      if (ended) throw new Error('EOF')
      await new Promise<void>((resolve) => (waiting = resolve))
    }
    const head = Buffer.from(buffered.subarray(0, count))
    buffered = buffered.subarray(count)
    return head
  }
  return Object.assign(read, {
    release: (): Buffer => {
      socket.off('data', onData)
      socket.off('end', onEnd)
      socket.pause()
      return buffered
    },
  })
}
