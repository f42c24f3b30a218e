import { createServer, type Server, type Socket } from 'node:net'
import { constants, deflateRawSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { Command } from '../command/command.ts'
import { InvalidStateError, ProtocolError } from '../errors/index.ts'
import { Connection } from '../connection/connection.ts'
import { TestServer } from '../testing/index.ts'

const cleanups: Array<() => Promise<unknown> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function open(port: number, debug?: (line: string) => void): Promise<Connection> {
  const connection = await Connection.open({ host: '127.0.0.1', port, protocol: 'nntp', ...(debug ? { debug } : {}) })
  cleanups.push(() => connection.destroy())
  return connection
}

async function compress(connection: Connection): Promise<void> {
  await connection.run(async (io) => {
    await io.send(Command.of('COMPRESS', 'DEFLATE'))
    io.expect(await io.readCodedReply(), 206)
    io.startCompression()
  })
}

describe('COMPRESS DEFLATE (RFC 8054)', () => {
  it('deflates commands and inflates replies and bodies, both ways through the test server', async () => {
    const seen: string[] = []
    const server = await TestServer.start({
      async onSession(session) {
        await session.writeLine('200 ready')
        for (let line = await session.readLine(); line !== undefined; line = await session.readLine()) {
          seen.push(line)
          if (line === 'COMPRESS DEFLATE') {
            await session.writeLine('206 Compression active')
            await session.startCompression()
          } else if (line === 'ARTICLE 1') {
            await session.write(`220 1 <a@b> article\r\nSubject: x\r\n\r\n${'..body line\r\n'.repeat(2000)}.\r\n`)
          } else if (line === 'QUIT') {
            await session.writeLine('205 bye')
            return
          }
        }
      },
    })
    cleanups.push(() => server.close())
    const transcript: string[] = []
    const connection = await open(server.port, (line) => transcript.push(line))
    await connection.readGreeting()
    await compress(connection)
    expect(connection.compressed).toBe(true)
    const body = await connection.run(async (io) => {
      await io.send(Command.of('ARTICLE', 1))
      io.expect(await io.readCodedReply(), 220)
      return io.readDotBodyBuffer()
    })
    expect(body.toString()).toBe(`Subject: x\r\n\r\n${'.body line\r\n'.repeat(2000)}`)
    await connection.execute(Command.of('QUIT'), { expect: 205 })
    expect(seen).toEqual(['COMPRESS DEFLATE', 'ARTICLE 1', 'QUIT'])
    expect(transcript).toContain('-- COMPRESS DEFLATE')
    // The server really received compressed bytes: fewer on the wire than the commands' text.
    const session = server.sessions[0]
    expect(session?.compressed).toBe(true)
  })

  it('inflates what the server sent in the same write as its 206', async () => {
    const server: Server = createServer((socket: Socket) => {
      socket.on('error', () => undefined)
      socket.write('200 ready\r\n')
      socket.once('data', () => {
        const next = deflateRawSync(Buffer.from('101 capabilities follow\r\n'), { finishFlush: constants.Z_SYNC_FLUSH })
        socket.write(Buffer.concat([Buffer.from('206 Compression active\r\n'), next]))
      })
    })
    cleanups.push(() => new Promise((resolve) => server.close(resolve)))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    const connection = await open(address.port)
    await connection.readGreeting()
    await compress(connection)
    expect(await connection.run((io) => io.readCodedReply())).toEqual({ code: 101, lines: ['capabilities follow'] })
  })

  it('applies the line limit to inflated bytes (a compression bomb is a ProtocolError)', async () => {
    const server = await TestServer.start({
      async onSession(session) {
        await session.writeLine('200 ready')
        await session.readLine()
        await session.writeLine('206 go')
        await session.startCompression()
        await session.write(Buffer.alloc(4 * 1024 * 1024, 0x78))
      },
    })
    cleanups.push(() => server.close())
    const connection = await Connection.open({ host: '127.0.0.1', port: server.port, protocol: 'nntp', limits: { maxLineLength: 64 * 1024 } })
    cleanups.push(() => connection.destroy())
    await connection.readGreeting()
    await compress(connection)
    await expect(connection.run((io) => io.readCodedReply())).rejects.toBeInstanceOf(ProtocolError)
  })

  it('refuses STARTTLS once compression is on, and a second COMPRESS', async () => {
    const server = await TestServer.start({
      async onSession(session) {
        await session.writeLine('200 ready')
        await session.readLine()
        await session.writeLine('206 go')
        await session.startCompression()
        await session.readLine()
      },
    })
    cleanups.push(() => server.close())
    const connection = await open(server.port)
    await connection.readGreeting()
    await compress(connection)
    await expect(connection.run(async (io) => io.upgradeTls())).rejects.toBeInstanceOf(InvalidStateError)
    expect(connection.closed).toBe(false)
    await expect(connection.run(async (io) => io.startCompression())).rejects.toBeInstanceOf(InvalidStateError)
  })
})
