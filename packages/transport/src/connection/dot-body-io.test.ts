import { createServer, type Server, type Socket } from 'node:net'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { Command } from '../command/command.ts'
import { encodeDotBody } from '../dot/dot-encoder.ts'
import { ConnectionError, ProtocolError } from '../errors/index.ts'
import { Connection } from './connection.ts'

const servers: Server[] = []
const connections: Connection[] = []
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.destroy()
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

async function serve(onSocket: (socket: Socket, received: Buffer[]) => void): Promise<{ connection: Connection; received: Buffer[] }> {
  const received: Buffer[] = []
  const server = createServer((socket) => {
    socket.on('error', () => undefined)
    socket.on('data', (chunk: Buffer) => received.push(chunk))
    onSocket(socket, received)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  const connection = await Connection.open({ host: '127.0.0.1', port: address.port, protocol: 'test' })
  connections.push(connection)
  return { connection, received }
}

/** Sends `wire` once the client's first command arrives, split in pieces of `step` bytes. */
function answerWith(wire: string, step = wire.length) {
  return (socket: Socket): void => {
    socket.once('data', () => {
      const bytes = Buffer.from(wire, 'latin1')
      let at = 0
      const next = (): void => {
        if (at >= bytes.length) return
        socket.write(bytes.subarray(at, at + step), () => setImmediate(next))
        at += step
      }
      next()
    })
  }
}

async function retrieve(connection: Connection): Promise<{ body: string; next: string }> {
  return connection.run(async (io) => {
    await io.send(Command.of('RETR', 1))
    await io.readTextLine()
    const pieces: Buffer[] = []
    for await (const piece of io.readDotBody()) pieces.push(piece)
    return { body: Buffer.concat(pieces).toString('latin1'), next: await io.readTextLine() }
  })
}

describe('dot-bodies on a Connection', () => {
  const wire = '+OK 2 octets\r\nline\r\n..dot\r\n.\r\n+OK next\r\n'

  it('reads a body, unstuffed, and leaves the next reply in place', async () => {
    const { connection } = await serve(answerWith(wire))
    expect(await retrieve(connection)).toEqual({ body: 'line\r\n.dot\r\n', next: '+OK next' })
  })

  it.each([1, 2, 3, 5, 7])('reads the same body when the server writes %i byte(s) at a time', async (step) => {
    const { connection } = await serve(answerWith(wire, step))
    expect(await retrieve(connection)).toEqual({ body: 'line\r\n.dot\r\n', next: '+OK next' })
  })

  it('leaving the loop early drains the block: the next reply is still in step', async () => {
    const big = `+OK\r\n${'x'.repeat(70).concat('\r\n').repeat(5000)}.\r\n+OK after\r\n`
    const { connection } = await serve(answerWith(big, 4096))
    const next = await connection.run(async (io) => {
      await io.send(Command.of('RETR', 1))
      await io.readTextLine()
      for await (const piece of io.readDotBody()) {
        expect(piece.length).toBeGreaterThan(0)
        break
      }
      return io.readTextLine()
    })
    expect(next).toBe('+OK after')
  })

  it('readDotBodyStream gives the same bytes as a Readable', async () => {
    const { connection } = await serve(answerWith(wire, 3))
    const result = await connection.run(async (io) => {
      await io.send(Command.of('RETR', 1))
      await io.readTextLine()
      const pieces: Buffer[] = []
      for await (const piece of io.readDotBodyStream()) pieces.push(piece as Buffer)
      return { body: Buffer.concat(pieces).toString('latin1'), next: await io.readTextLine() }
    })
    expect(result).toEqual({ body: 'line\r\n.dot\r\n', next: '+OK next' })
  })

  it('readDotBodyBuffer bounds the body', async () => {
    const { connection } = await serve(answerWith(`+OK\r\n${'y'.repeat(5000)}\r\n.\r\n`))
    const reading = connection.run(async (io) => {
      await io.send(Command.of('RETR', 1))
      await io.readTextLine()
      return io.readDotBodyBuffer({ maxBytes: 1000 })
    })
    await expect(reading).rejects.toBeInstanceOf(ProtocolError)
    expect(connection.closed).toBe(true)
  })

  it.each([
    ['no hint', undefined],
    ['the exact size', 6008],
    ['a hint too small', 10],
    ['a hint too large', 9000],
  ])('readDotBodyBuffer gives the exact body with %s, a Buffer of its own, the next reply in step', async (_, sizeHint) => {
    const text = `${'..dot\r\n'.repeat(1000)}last line\r\n`
    const { connection } = await serve(answerWith(`+OK\r\n${text}.\r\n+OK next\r\n`, 997))
    const { body, next } = await connection.run(async (io) => {
      await io.send(Command.of('RETR', 1))
      await io.readTextLine()
      const body = await io.readDotBodyBuffer({ sizeHint })
      return { body, next: await io.readTextLine() }
    })
    expect(body.toString('latin1')).toBe(`${'.dot\r\n'.repeat(1000)}last line\r\n`)
    expect(next).toBe('+OK next')
    // Copied out of the socket's chunks: the body keeps no 64 KiB read alive.
    expect(body.buffer.byteLength).toBeLessThan(2 * body.length)
  })

  it('EOF inside a body is a ConnectionError', async () => {
    const { connection } = await serve((socket) => socket.once('data', () => socket.end('+OK\r\nhalf a bo')))
    const reading = connection.run(async (io) => {
      await io.send(Command.of('RETR', 1))
      await io.readTextLine()
      return io.readDotBodyBuffer()
    })
    await expect(reading).rejects.toBeInstanceOf(ConnectionError)
  })

  it('writes a streamed body dot-stuffed, CRLF-normalised and terminated', async () => {
    const { connection, received } = await serve((socket) => {
      let all = ''
      socket.on('data', (chunk: Buffer) => {
        all += chunk.toString('latin1')
        if (all.endsWith('\r\n.\r\n')) socket.write('250 queued\r\n')
      })
    })
    const size = await connection.run(async (io) => {
      const sent = await io.writeDotBody(Readable.from([Buffer.from('Hi\n.'), Buffer.from('\nsmuggle\r\n.\r\nMAIL FROM:<x>\r')]))
      io.expect(await io.readCodedReply(), 250)
      return sent
    })
    expect(size).toBe(31)
    expect(Buffer.concat(received).toString('latin1')).toBe('Hi\r\n..\r\nsmuggle\r\n..\r\nMAIL FROM:<x>\r\n.\r\n')
  })
})

describe('writeDotBody with a whole body in memory', () => {
  it.each([
    ['a small Buffer', Buffer.from('Hi\n.\r\nsmuggle\r\n.\r\nMAIL FROM:<x>\r', 'latin1')],
    ['a 300 KiB Buffer with dots and bare line ends across every window', Buffer.from(`.a\n..b\r.c\r\n${'x'.repeat(65_530)}\r\n.${'y'.repeat(90_000)}\r`.repeat(2), 'latin1')],
    ['a 200 KiB string with 16,000 dots (encoded)', `${'line\r\n.dot\r\n'.repeat(16_000)}end`],
    ['a 140 KiB CRLF Buffer with a few dots (sent as views of itself)', Buffer.from(`.a\r\n${'x'.repeat(70_000)}\r\n.dot\r\n..\r\n${'y'.repeat(70_000)}\r\n`, 'latin1')],
    ['a 140 KiB CRLF Buffer without a final line end (views)', Buffer.from(`${'x'.repeat(70_000)}\r\n.\r\n${'y'.repeat(70_000)}`, 'latin1')],
  ])('sends %s exactly as encodeDotBody encodes it, the terminator in the last write', async (_, body) => {
    const { connection, received } = await serve((socket) => {
      let tail = ''
      socket.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString('latin1')).slice(-5)
        if (tail.endsWith('\r\n.\r\n')) socket.write('250 queued\r\n')
      })
    })
    const size = await connection.run(async (io) => {
      const sent = await io.writeDotBody(body)
      io.expect(await io.readCodedReply(), 250)
      return sent
    })
    expect(size).toBe(Buffer.byteLength(body))
    expect(Buffer.concat(received).equals(encodeDotBody(body))).toBe(true)
  })
})

describe('a failing body source', () => {
  it('reaches the caller unchanged and closes the connection with a reason that says why', async () => {
    const { connection } = await serve(() => undefined)
    const failure = new Error('disk read failed')
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from('first part\r\n')
      throw failure
    }
    const sending = connection.run((io) => io.writeDotBody(broken()))
    await expect(sending).rejects.toBe(failure)
    expect(connection.closed).toBe(true)
    expect(connection.reason).toBeInstanceOf(ConnectionError)
    expect(connection.reason?.message).toMatch(/disk read failed/)
  })

  it('send puts a payload in the same write as its command (BDAT)', async () => {
    const { connection, received } = await serve((socket) => socket.once('data', () => socket.write('250 ok\r\n')))
    await connection.run(async (io) => {
      await io.send(Command.of('BDAT', 5, 'LAST'), Buffer.from('hello'))
      io.expect(await io.readCodedReply(), 250)
    })
    expect(received.map((chunk) => chunk.toString())).toEqual(['BDAT 5 LAST\r\nhello'])
  })

  it('send writes a big payload after its command without copying it, bytes intact', async () => {
    const payload = Buffer.alloc(300 * 1024, 0x61)
    payload.write('start', 0)
    payload.write('end', payload.length - 3)
    const { connection, received } = await serve((socket) => {
      let size = 0
      socket.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size === 18 + payload.length) socket.write('250 ok\r\n')
      })
    })
    await connection.run(async (io) => {
      await io.send(Command.of('BDAT', payload.length, 'LAST'), payload)
      io.expect(await io.readCodedReply(), 250)
    })
    expect(Buffer.concat(received).equals(Buffer.concat([Buffer.from(`BDAT ${payload.length} LAST\r\n`), payload]))).toBe(true)
  })
})
