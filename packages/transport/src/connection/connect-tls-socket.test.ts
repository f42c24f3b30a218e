import { afterEach, describe, expect, it } from 'vitest'
import { Command } from '../command/command.ts'
import { ConnectionError, TlsError } from '../errors/index.ts'
import { closedPort, TestServer } from '../testing/index.ts'
import { Connection } from './connection.ts'
import { connectTlsSocket } from './start-tls.ts'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('implicit TLS on a socket of our own (connectTlsSocket)', () => {
  it('reads replies and a body larger than many TLS records through onread, one reused buffer', async () => {
    const body = `${'a line of a long message\r\n'.repeat(20_000)}`
    const server = await TestServer.start({
      tls: 'implicit',
      async onSession(session) {
        await session.writeLine('+OK ready')
        await session.readLine()
        await session.write(`+OK ${body.length} octets\r\n${body}.\r\n+OK after\r\n`)
      },
    })
    cleanups.push(() => server.close())
    const connection = await Connection.open({ host: server.host, port: server.port, protocol: 'test', implicitTls: true, tls: { ca: server.ca } })
    cleanups.push(() => connection.destroy())
    expect(connection.secure).toBe(true)
    const result = await connection.run(async (io) => {
      const greeting = await io.readTextLine()
      await io.send(Command.of('RETR', 1))
      const status = await io.readTextLine()
      const message = await io.readDotBodyBuffer({ sizeHint: body.length })
      return { greeting, status, message: message.toString('latin1'), after: await io.readTextLine() }
    })
    expect(result).toEqual({ greeting: '+OK ready', status: `+OK ${body.length} octets`, message: body, after: '+OK after' })
  })

  it('reads into the onread buffer it is given, with no data events', async () => {
    const server = await TestServer.start({ tls: 'implicit', onSession: (session) => session.write('hello over TLS\r\n') })
    cleanups.push(() => server.close())
    const reads: string[] = []
    const buffer = Buffer.alloc(1024)
    const socket = await connectTlsSocket(
      { host: server.host, port: server.port, timeout: 5000, onread: { buffer, callback: (bytes) => reads.push(buffer.toString('latin1', 0, bytes)) > 0 } },
      { ca: server.ca },
    )
    cleanups.push(() => void socket.destroy())
    const dataEvents: Buffer[] = []
    socket.on('data', (chunk: Buffer) => dataEvents.push(chunk))
    await new Promise<void>((resolve) => socket.once('end', resolve).resume())
    expect(reads.join('')).toBe('hello over TLS\r\n')
    expect(dataEvents).toEqual([])
  })

  it('a refused TCP connection is a ConnectionError, a refused certificate a TlsError', async () => {
    const port = await closedPort()
    await expect(connectTlsSocket({ host: '127.0.0.1', port, timeout: 5000 }, {})).rejects.toThrow(ConnectionError)
    await expect(connectTlsSocket({ host: '127.0.0.1', port, timeout: 5000 }, {})).rejects.toThrow(/cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/)
    const server = await TestServer.start({ tls: 'implicit', onSession: () => undefined })
    cleanups.push(() => server.close())
    await expect(connectTlsSocket({ host: server.host, port: server.port, timeout: 5000 }, {})).rejects.toBeInstanceOf(TlsError)
  })
})
