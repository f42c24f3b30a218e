import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Command } from '../command/command.ts'
import { ClosedError, ConnectionError, ReplyError, TimeoutError } from '../errors/index.ts'
import { TestServer } from '../testing/test-server.ts'
import { startScriptedServer, type ScriptedServer, type ScriptStep } from '../testing/scripted-server.ts'
import { Connection } from './connection.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function serve(script: ScriptStep[]): Promise<ScriptedServer> {
  const server = await startScriptedServer({ script })
  cleanups.push(() => server.close())
  return server
}

async function open(server: { port: number }, interval: number, reply = 2000): Promise<Connection> {
  const connection = await Connection.open({
    host: '127.0.0.1',
    port: server.port,
    protocol: 'smtp',
    keepAlive: { interval, command: Command.of('NOOP') },
    timeouts: { reply },
  })
  cleanups.push(() => connection.destroy())
  await connection.readGreeting()
  return connection
}

const waitFor = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 5000, interval: 10 })

describe('keepAlive', () => {
  it('sends the command after each idle interval, and stops on close', async () => {
    const received: string[] = []
    const server = await TestServer.start({
      async onSession(session) {
        await session.writeLine('220 hi')
        for (let line = await session.readLine(); line !== undefined; line = await session.readLine()) {
          received.push(line)
          await session.writeLine(line === 'QUIT' ? '221 bye' : '250 ok')
        }
      },
    })
    cleanups.push(() => server.close())
    const connection = await open(server, 30)
    await waitFor(() => expect(received.length).toBeGreaterThanOrEqual(2))
    await connection.execute(Command.of('QUIT'))
    await connection.close()
    await sleep(100)
    expect(received.at(-1)).toBe('QUIT')
    expect(new Set(received.slice(0, -1))).toEqual(new Set(['NOOP']))
  })

  it('never interleaves with a running task, however long it runs', async () => {
    const server = await serve(['S: 220 hi', 'C: SLOW', 'S: 250 done', 'C: NOOP', 'S: 250 ok', { stall: true }])
    const connection = await open(server, 20)
    await connection.run(async (io) => {
      await io.send(Command.of('SLOW'))
      await sleep(150)
      return io.readCodedReply()
    })
    expect(server.clientLines).toEqual(['SLOW'])
    await waitFor(() => expect(server.clientLines).toEqual(['SLOW', 'NOOP']))
  })

  it('closes a dead connection (no reply within the reply timeout) with the timeout as the reason', async () => {
    const server = await serve(['S: 220 hi', 'C: NOOP', { stall: true }])
    const connection = await open(server, 20, 100)
    await waitFor(() => expect(connection.closed).toBe(true))
    expect(TimeoutError.isInstance(connection.reason) && connection.reason.phase).toBe('reply')
    const error = await connection.execute(Command.of('MAIL', 'FROM:<a@b>')).catch((caught: unknown) => caught)
    expect(ClosedError.isInstance(error) && error.cause).toBe(connection.reason)
  })

  it('closes the connection when the server refuses the keep-alive (421 closing)', async () => {
    const server = await serve(['S: 220 hi', 'C: NOOP', 'S: 421 idle too long', { close: true }])
    const connection = await open(server, 20)
    await waitFor(() => expect(connection.closed).toBe(true))
    expect(ConnectionError.isInstance(connection.reason)).toBe(true)
    expect(connection.reason?.message).toBe('keep-alive NOOP failed: NOOP failed: 421 idle too long')
    expect(ReplyError.isInstance(connection.reason?.cause)).toBe(true)
  })

  it('sends nothing without the option', async () => {
    const server = await serve(['S: 220 hi', 'C: QUIT', 'S: 221 bye'])
    const connection = await Connection.open({ host: '127.0.0.1', port: server.port, protocol: 'smtp' })
    await connection.readGreeting()
    await sleep(50)
    await connection.execute(Command.of('QUIT'))
    await connection.close()
    server.assertCompleted()
  })
})
