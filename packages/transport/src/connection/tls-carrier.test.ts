import { Duplex } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { Command } from '../command/command.ts'
import { InvalidStateError, TimeoutError } from '../errors/index.ts'
import { TestServer, type TestSession } from '../testing/index.ts'
import { connectSocket } from './connect-socket.ts'
import { Connection } from './connection.ts'
import { TlsCarrier } from './tls-carrier.ts'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A raw side that records what the carrier writes and lets the test push what "the network" delivers. */
class FakeRaw extends Duplex {
  readonly written: Buffer[] = []
  ended = false
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.written.push(chunk)
    callback()
  }
  override _final(callback: () => void): void {
    this.ended = true
    callback()
  }
}

/** A TLS record: content type, version 3.3, length, body. */
const record = (type: number, body: string): Buffer => {
  const bytes = Buffer.from(body)
  return Buffer.concat([Buffer.from([type, 3, 3, bytes.length >> 8, bytes.length & 0xff]), bytes])
}

function carried(raw: FakeRaw): { carrier: TlsCarrier; delivered: Buffer[] } {
  const carrier = new TlsCarrier(raw)
  const delivered: Buffer[] = []
  carrier.on('data', (chunk: Buffer) => delivered.push(chunk))
  return { carrier, delivered }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('TlsCarrier', () => {
  it('carries every byte both ways until shutdown, records split anywhere', async () => {
    const raw = new FakeRaw()
    const { carrier, delivered } = carried(raw)
    const stream = Buffer.concat([record(22, 'hello'), record(23, 'x'.repeat(300)), Buffer.from('PWD\r\n')])
    for (let i = 0; i < stream.length; i += 7) raw.push(stream.subarray(i, i + 7))
    await tick()
    // Not shutting down: even bytes that are no record go to TLS (it reports them as its own error).
    expect(Buffer.concat(delivered).equals(stream)).toBe(true)
    carrier.write('abc')
    expect(Buffer.concat(raw.written).toString()).toBe('abc')
    expect(carrier.release().length).toBe(0)
  })

  it.each([1, 2, 5, 6, 64])('after beginShutdown, holds the plaintext that follows the last record (chunks of %i)', async (size) => {
    const raw = new FakeRaw()
    const { carrier, delivered } = carried(raw)
    const tls = Buffer.concat([record(23, 'reply'), record(21, 'cn')])
    carrier.beginShutdown()
    const stream = Buffer.concat([tls, Buffer.from('PWD\r\nNOOP\r\n')])
    for (let i = 0; i < stream.length; i += size) raw.push(stream.subarray(i, i + size))
    await tick()
    expect(Buffer.concat(delivered).equals(tls)).toBe(true)
    expect(carrier.release().toString()).toBe('PWD\r\nNOOP\r\n')
    // Released: the raw socket is the caller's again; nothing more reaches the carrier.
    raw.push('TYPE I\r\n')
    await tick()
    expect(Buffer.concat(delivered).equals(tls)).toBe(true)
  })

  it('swallows the end of TLS (close_notify sent) unless told to end gracefully; destroy reaches the raw side until release', async () => {
    const raw = new FakeRaw()
    const { carrier } = carried(raw)
    carrier.end()
    await tick()
    expect(raw.ended).toBe(false)
    expect(raw.destroyed).toBe(false)

    const second = new FakeRaw()
    const graceful = carried(second).carrier
    graceful.endGracefully()
    graceful.end()
    await tick()
    expect(second.ended).toBe(true)

    const third = new FakeRaw()
    carried(third).carrier.destroy()
    expect(third.destroyed).toBe(true)
    const fourth = new FakeRaw()
    const released = carried(fourth).carrier
    released.release()
    released.destroy()
    expect(fourth.destroyed).toBe(false)
  })
})

/** A CCC-style server: AUTH → 234 + TLS (unwrappable), CCC → 200 + TLS shutdown, PWD answered in either mode. */
async function cccServer(options: { shutdown?: boolean } = {}): Promise<TestServer> {
  const server = await TestServer.start({
    async onSession(session: TestSession) {
      await session.writeLine('220 hello')
      for (let line = await session.readLine(); line !== undefined; line = await session.readLine()) {
        if (line === 'AUTH TLS') {
          await session.writeLine('234 go')
          await session.upgradeTls({ unwrappable: true })
        } else if (line === 'CCC') {
          await session.writeLine('200 clear')
          if (options.shutdown === false) {
            // A server that never answers the client's close_notify.
            session.socket.allowHalfOpen = true
            await session.closed
            return
          }
          await session.endTls()
        } else if (line === 'QUIT') return session.writeLine('221 bye')
        else await session.writeLine(`250 ${line} ${session.encrypted ? 'secure' : 'clear'}`)
      }
    },
  })
  cleanups.push(() => server.close())
  return server
}

async function secureConnection(server: TestServer, direct: boolean): Promise<Connection> {
  const connection = await Connection.open({
    host: server.host,
    port: server.port,
    protocol: 'test',
    tls: { ca: server.ca },
    timeouts: { reply: 1000 },
    // A seam of its own: the socket delivers `data` chunks instead of reading through `onread`.
    ...(direct ? {} : { connect: (options) => connectSocket(options) }),
  })
  cleanups.push(() => connection.destroy())
  await connection.readGreeting()
  await connection.run(async (io) => {
    await io.send(Command.of('AUTH', 'TLS'))
    io.expect(await io.readCodedReply(), 234)
    await io.upgradeTls(undefined, { unwrappable: true })
  })
  return connection
}

describe('Connection.endTls (CCC, RFC 4217 section 6)', () => {
  it.each([
    ['a direct socket (onread)', true],
    ['a seam socket (data events)', false],
  ])('TLS then plaintext on the same TCP connection: %s', async (_, direct) => {
    const server = await cccServer()
    const connection = await secureConnection(server, direct)
    expect(connection.secure).toBe(true)
    expect((await connection.execute(Command.of('NOOP'))).lines).toEqual(['NOOP secure'])
    const session = await connection.run(async (io) => {
      await io.send(Command.of('CCC'))
      io.expect(await io.readCodedReply(), 200)
      const ticket = await io.endTls()
      // Sent at once: the server reads it in clear even if it arrives with the close_notify.
      await io.send(Command.of('PWD'))
      return ticket
    })
    expect(session).toBeInstanceOf(Buffer)
    expect(connection.secure).toBe(false)
    expect(connection.tlsSession).toBeUndefined()
    const reply = await connection.run((io) => io.readCodedReply())
    expect(reply.lines).toEqual(['PWD clear'])
    expect((await connection.execute(Command.of('NOOP'))).lines).toEqual(['NOOP clear'])
    await connection.execute(Command.of('QUIT'))
    const [serverSession] = server.sessions
    await connection.close()
    await serverSession?.closed
    expect(serverSession?.error).toBeUndefined()
    expect(server.errors).toEqual([])
    // The server's transcript (decrypted): every command arrived once, in order.
    expect(serverSession?.received.toString()).toBe('AUTH TLS\r\nNOOP\r\nCCC\r\nPWD\r\nNOOP\r\nQUIT\r\n')
  })

  it('a server that never sends close_notify: TimeoutError within the reply timeout, and the connection closes', async () => {
    const server = await cccServer({ shutdown: false })
    const connection = await secureConnection(server, true)
    const error = await connection
      .run(async (io) => {
        await io.send(Command.of('CCC'))
        io.expect(await io.readCodedReply(), 200)
        await io.endTls()
      })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect(connection.closed).toBe(true)
  })

  it('refuses to end TLS that was not started unwrappable, or plaintext (InvalidStateError); the connection stays usable', async () => {
    const server = await cccServer()
    const plain = await Connection.open({ host: server.host, port: server.port, protocol: 'test', tls: { ca: server.ca } })
    cleanups.push(() => plain.destroy())
    await plain.readGreeting()
    await expect(plain.endTls()).rejects.toBeInstanceOf(InvalidStateError)
    await plain.run(async (io) => {
      await io.send(Command.of('AUTH', 'TLS'))
      io.expect(await io.readCodedReply(), 234)
      await io.upgradeTls()
    })
    await expect(plain.endTls()).rejects.toThrow(/unwrappable/)
    expect((await plain.execute(Command.of('NOOP'))).lines).toEqual(['NOOP secure'])
  })
})
