import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Command } from '../command/command.ts'
import { AbortError, ClosedError, ConnectionError, ProtocolError, ReplyError, TimeoutError } from '../errors/index.ts'
import { Connection, type ConnectionOptions } from './connection.ts'

/** A bare TCP server for these tests: `onSocket` plays the server side; `received` collects client bytes. */
interface LineServer {
  port: number
  received: Buffer[]
  close(): Promise<void>
}

const servers: Server[] = []
const connections: Connection[] = []

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.destroy()
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

async function lineServer(onSocket: (socket: Socket, received: Buffer[]) => void): Promise<LineServer> {
  const received: Buffer[] = []
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('data', (chunk: Buffer) => received.push(chunk))
    socket.on('error', () => undefined)
    onSocket(socket, received)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    port: address.port,
    received,
    close: () => {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

/** A server that answers each command line with the next reply from `replies`. */
function scripted(greeting: string, replies: string[]) {
  return (socket: Socket): void => {
    socket.write(greeting)
    let buffered = ''
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1')
      let at: number
      while ((at = buffered.indexOf('\n')) !== -1) {
        buffered = buffered.slice(at + 1)
        const reply = replies.shift()
        if (reply !== undefined) socket.write(reply)
      }
    })
  }
}

async function open(port: number, options: Partial<ConnectionOptions> = {}): Promise<Connection> {
  const connection = await Connection.open({ host: '127.0.0.1', port, protocol: 'test', ...options })
  connections.push(connection)
  return connection
}

describe('Connection', () => {
  it('reads the greeting, executes commands and sends the exact bytes', async () => {
    const server = await lineServer(scripted('220 ready\r\n', ['250-hello\r\n250-PIPELINING\r\n250 CHUNKING\r\n', '221 bye\r\n']))
    const connection = await open(server.port)
    expect(await connection.readGreeting()).toEqual({ code: 220, lines: ['ready'] })
    expect(await connection.execute(Command.of('EHLO', 'client.example'))).toEqual({
      code: 250,
      lines: ['hello', 'PIPELINING', 'CHUNKING'],
    })
    expect(await connection.execute(Command.of('QUIT'), { expect: 221 })).toEqual({ code: 221, lines: ['bye'] })
    await connection.close()
    expect(Buffer.concat(server.received).toString()).toBe('EHLO client.example\r\nQUIT\r\n')
  })

  it('queues concurrent calls in order instead of refusing them', async () => {
    const server = await lineServer(scripted('220 ready\r\n', ['250 one\r\n', '250 two\r\n', '250 three\r\n']))
    const connection = await open(server.port)
    await connection.readGreeting()
    const replies = await Promise.all(['A', 'B', 'C'].map((verb) => connection.execute(Command.of(verb))))
    expect(replies.map((r) => r.lines[0])).toEqual(['one', 'two', 'three'])
    expect(Buffer.concat(server.received).toString()).toBe('A\r\nB\r\nC\r\n')
  })

  it('pipelines a batch in one write and reads the replies in order', async () => {
    const server = await lineServer(scripted('220 ready\r\n', ['250 ok\r\n', '550 no such user\r\n', '354 go\r\n']))
    const connection = await open(server.port)
    await connection.readGreeting()
    const commands = [Command.of('MAIL', 'FROM:<a@b>'), Command.of('RCPT', 'TO:<x@y>'), Command.of('DATA')]
    const replies = await connection.executeAll(commands)
    expect(replies.map((r) => r.code)).toEqual([250, 550, 354])
    expect(server.received).toHaveLength(1)
    expect(server.received[0]?.toString()).toBe('MAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nDATA\r\n')
  })

  it('drops an owed reply before the next one, in a later task, so that a command sent for its ACK is never waited for', async () => {
    const server = await lineServer(scripted('200 ready\r\n', ['101 list\r\n', '111 20261207140000\r\n', '211 3 1 3 misc\r\n']))
    const connection = await open(server.port)
    await connection.readGreeting()
    await connection.run(async (io) => {
      await io.send(Command.of('CAPABILITIES'))
      expect((await io.readCodedReply()).code).toBe(101)
      await io.send(Command.of('DATE'))
      io.oweReply()
    })
    const group = await connection.execute(Command.of('GROUP', 'misc'))
    expect(group).toEqual({ code: 211, lines: ['3 1 3 misc'] })
    expect(Buffer.concat(server.received).toString()).toBe('CAPABILITIES\r\nDATE\r\nGROUP misc\r\n')
  })

  it('parses replies written one byte at a time', async () => {
    const server = await lineServer((socket) => {
      const bytes = Buffer.from('220-multi\r\n220 line greeting\r\n')
      let i = 0
      const drip = (): void => {
        if (i < bytes.length) socket.write(bytes.subarray(i, ++i), drip)
      }
      drip()
    })
    const connection = await open(server.port)
    expect(await connection.readGreeting()).toEqual({ code: 220, lines: ['multi', 'line greeting'] })
  })

  it('a refusal is a ReplyError and the connection stays usable', async () => {
    const server = await lineServer(scripted('220 ready\r\n', ['550 No such file\r\n', '250 fine\r\n']))
    const connection = await open(server.port)
    await connection.readGreeting()
    const error = await connection.execute(Command.of('RETR', 'dave.txt')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ReplyError)
    expect((error as ReplyError).message).toBe('RETR dave.txt failed: 550 No such file')
    expect((error as ReplyError).isPermanent).toBe(true)
    expect(connection.closed).toBe(false)
    expect((await connection.execute(Command.of('NOOP'))).lines).toEqual(['fine'])
  })

  it('redacts secrets in ReplyError messages and transcripts', async () => {
    const server = await lineServer(scripted('220 ready\r\n', ['530 Login incorrect\r\n']))
    const lines: string[] = []
    const connection = await open(server.port, { debug: (line) => lines.push(line) })
    await connection.readGreeting()
    const error = await connection.execute(Command.secret('PASS', 'hunter2')).catch((e: unknown) => e)
    expect((error as ReplyError).message).toBe('PASS **** failed: 530 Login incorrect')
    expect(lines).toEqual(['S: 220 ready', 'C: PASS ****', 'S: 530 Login incorrect'])
    expect(JSON.stringify(error)).not.toContain('hunter2')
  })

  it('publishes redacted commands and replies on diagnostics channels', async () => {
    const server = await lineServer(scripted('220 ready\r\n', ['235 ok\r\n']))
    const messages: unknown[] = []
    const listener = (message: unknown): void => {
      messages.push(message)
    }
    subscribe('netc:diag:command', listener)
    try {
      const connection = await open(server.port, { protocol: 'diag' })
      await connection.readGreeting()
      await connection.execute(Command.of('AUTH', 'PLAIN', 'AGFsaWNlAHNlY3JldA==').redacting(1))
      expect(messages).toEqual([{ connectionId: connection.id, command: 'AUTH PLAIN ****' }])
    } finally {
      unsubscribe('netc:diag:command', listener)
    }
  })

  it('EOF in the middle of a reply rejects the call and every queued call, and leaves nothing pending', async () => {
    const server = await lineServer((socket) => {
      socket.write('220 ready\r\n')
      socket.once('data', () => socket.end('250-first line\r\n'))
    })
    const connection = await open(server.port)
    await connection.readGreeting()
    const results = await Promise.allSettled([connection.execute(Command.of('EHLO', 'x')), connection.execute(Command.of('NOOP'))])
    expect(results[0].status === 'rejected' && results[0].reason).toBeInstanceOf(ConnectionError)
    const second = results[1].status === 'rejected' ? (results[1].reason as ClosedError) : undefined
    expect(second).toBeInstanceOf(ClosedError)
    expect(second?.cause).toBeInstanceOf(ConnectionError)
    expect(connection.closed).toBe(true)
    await expect(connection.execute(Command.of('NOOP'))).rejects.toBeInstanceOf(ClosedError)
  })

  it('a stalled server is a TimeoutError (phase reply), and the connection closes', async () => {
    const server = await lineServer((socket) => socket.write('220 ready\r\n'))
    const connection = await open(server.port, { timeouts: { reply: 50 } })
    await connection.readGreeting()
    const error = await connection.execute(Command.of('NOOP')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as TimeoutError).phase).toBe('reply')
    expect(connection.closed).toBe(true)
    expect(connection.reason).toBe(error)
  })

  it('a silent server is a TimeoutError in the greeting phase', async () => {
    const server = await lineServer(() => undefined)
    const connection = await open(server.port, { timeouts: { greeting: 40 } })
    const error = await connection.readGreeting().catch((e: unknown) => e)
    expect((error as TimeoutError).phase).toBe('greeting')
  })

  it('an abort while waiting in the queue leaves the connection usable; while running it closes it', async () => {
    const server = await lineServer(scripted('220 ready\r\n', ['250 first\r\n', '250 third\r\n']))
    const connection = await open(server.port)
    await connection.readGreeting()
    const controller = new AbortController()
    const first = connection.execute(Command.of('FIRST'))
    const second = connection.execute(Command.of('SECOND'), { signal: controller.signal })
    const third = connection.execute(Command.of('THIRD'))
    controller.abort()
    await expect(second).rejects.toBeInstanceOf(AbortError)
    expect((await first).lines).toEqual(['first'])
    expect((await third).lines).toEqual(['third'])
    expect(Buffer.concat(server.received).toString()).toBe('FIRST\r\nTHIRD\r\n')

    const running = new AbortController()
    const stuck = connection.execute(Command.of('STUCK'), { signal: running.signal })
    setTimeout(() => running.abort(), 20)
    await expect(stuck).rejects.toBeInstanceOf(AbortError)
    expect(connection.closed).toBe(true)
  })

  it('an oversized line is a ProtocolError and closes the connection', async () => {
    const server = await lineServer((socket) => socket.write(`220 ${'x'.repeat(5000)}\r\n`))
    const connection = await open(server.port, { limits: { maxLineLength: 1024 } })
    await expect(connection.readGreeting()).rejects.toBeInstanceOf(ProtocolError)
    expect(connection.closed).toBe(true)
  })

  it('a malformed reply is a ProtocolError', async () => {
    const server = await lineServer((socket) => socket.write('hello there\r\n'))
    const connection = await open(server.port)
    await expect(connection.readGreeting()).rejects.toThrow(/malformed reply/)
  })

  it('refuses plaintext that arrived before the TLS handshake (STARTTLS injection)', async () => {
    const server = await lineServer((socket) => {
      socket.write('220 ready\r\n')
      socket.once('data', () => socket.write('220 go ahead\r\n250 injected\r\n'))
    })
    const connection = await open(server.port)
    await connection.readGreeting()
    const upgrade = connection.run(async (io) => {
      await io.send(Command.of('STARTTLS'))
      io.expect(await io.readCodedReply(), 220)
      await io.upgradeTls()
    })
    await expect(upgrade).rejects.toThrow(/before the TLS handshake/)
    expect(connection.closed).toBe(true)
  })

  it('cannot reach a closed port: ConnectionError naming host and port', async () => {
    const server = await lineServer(() => undefined)
    const { port } = server
    await server.close()
    servers.length = 0
    const error = await Connection.open({ host: '127.0.0.1', port, protocol: 'test' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as Error).message).toBe(`cannot reach 127.0.0.1:${port}: ECONNREFUSED`)
  })

  it('holds a connect seam that never answers to the connect timeout', async () => {
    const error = await Connection.open({
      host: 'proxy.invalid',
      port: 25,
      protocol: 'test',
      timeouts: { connect: 30 },
      connect: () => new Promise(() => undefined),
    }).catch((e: unknown) => e)
    expect((error as TimeoutError).phase).toBe('connect')
  })

  it('marks the connection closed when the server hangs up while idle', async () => {
    const server = await lineServer((socket) => socket.end('421 shutting down\r\n'))
    const connection = await open(server.port)
    await expect(connection.readGreeting()).rejects.toBeInstanceOf(ReplyError)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(connection.closed).toBe(true)
    const error = await connection.execute(Command.of('NOOP')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ClosedError)
    expect((error as ClosedError).cause).toBeInstanceOf(ConnectionError)
  })

  it('closes an idle connection after the idle timeout', async () => {
    const server = await lineServer(scripted('220 ready\r\n', []))
    const connection = await open(server.port, { timeouts: { idle: 30 } })
    await connection.readGreeting()
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(connection.closed).toBe(true)
    expect((connection.reason as TimeoutError).phase).toBe('idle')
  })

  it('close() does not wait for the server to hang up after its answer: our FIN goes out and the socket closes', async () => {
    // A server that keeps its side open after the client's FIN (allowHalfOpen), as one slow to exit does.
    let serverSocket: Socket | undefined
    let serverSawEnd: Promise<void> | undefined
    const server = createServer({ allowHalfOpen: true }, (socket) => {
      serverSocket = socket
      socket.on('error', () => undefined)
      serverSawEnd = new Promise<void>((resolve) => socket.on('end', () => resolve()))
      scripted('220 ready\r\n', ['221 bye\r\n'])(socket)
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const connection = await open((server.address() as AddressInfo).port)
    await connection.readGreeting()
    await connection.execute(Command.of('QUIT'), { expect: 221 })
    // The 2 s fallback never fires under fake timers: a close() that waited for the server's FIN would hang.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      await connection.close()
    } finally {
      vi.useRealTimers()
    }
    expect(connection.closed).toBe(true)
    await serverSawEnd // our FIN, not a reset
    serverSocket?.destroy()
  })

  it('await using closes the connection', async () => {
    const server = await lineServer(scripted('220 ready\r\n', []))
    let kept: Connection | undefined
    {
      await using connection = await open(server.port)
      kept = connection
      await connection.readGreeting()
    }
    expect(kept.closed).toBe(true)
  })
})
