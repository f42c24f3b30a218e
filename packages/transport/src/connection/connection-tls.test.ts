import { afterEach, describe, expect, it } from 'vitest'
import { Command } from '../command/command.ts'
import { ProtocolError, TlsError } from '../errors/index.ts'
import { createUntrustedCertificates, startScriptedServer, TestServer, type ScriptedServer } from '../testing/index.ts'
import { Connection } from './connection.ts'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function scripted(options: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  const server = await startScriptedServer(options)
  cleanups.push(() => server.close())
  return server
}

async function open(server: { host: string; port: number }, options: Partial<Parameters<typeof Connection.open>[0]> = {}) {
  const connection = await Connection.open({ host: server.host, port: server.port, protocol: 'test', ...options })
  cleanups.push(() => connection.destroy())
  return connection
}

describe('Connection over TLS', () => {
  it('implicit TLS: verifies the server against the given CA and talks', async () => {
    const server = await scripted({ tls: 'implicit', script: ['S: 220 secure hello', 'C: NOOP', 'S: 250 ok'] })
    const connection = await open(server, { implicitTls: true, tls: { ca: server.ca } })
    expect(connection.secure).toBe(true)
    expect(connection.tlsInfo?.authorized).toBe(true)
    await connection.readGreeting()
    await connection.execute(Command.of('NOOP'))
    await server.finished()
    server.assertCompleted()
  })

  it('implicit TLS: refuses a certificate it cannot verify (TlsError), unless told by name', async () => {
    const server = await scripted({ tls: 'implicit', script: ['S: 220 hi'] })
    const error = await open(server, { implicitTls: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TlsError)
    expect((error as TlsError).message).toMatch(/TLS handshake with 127.0.0.1 failed/)
    const insecure = await open(server, { implicitTls: true, tls: { rejectUnauthorized: false } })
    expect(insecure.secure).toBe(true)
    expect(insecure.tlsInfo?.authorized).toBe(false)
  })

  it('implicit TLS: a certificate from another CA is refused even with a CA given', async () => {
    const trusted = await scripted({ tls: 'implicit', script: ['S: 220 hi'] })
    const untrusted = await TestServer.start({ tls: 'implicit', certificates: await createUntrustedCertificates() })
    cleanups.push(() => untrusted.close())
    await expect(open(untrusted, { implicitTls: true, tls: { ca: trusted.ca } })).rejects.toBeInstanceOf(TlsError)
  })

  it('STARTTLS: upgrades, sends the exact bytes both ways, and reports TLS afterwards', async () => {
    const server = await scripted({
      script: [
        'S: 220 hello',
        'C: STARTTLS',
        'S: 220 go ahead',
        { starttls: true },
        'C: EHLO again',
        'S: 250-secure',
        'S: 250 PIPELINING',
        'C: QUIT',
        'S: 221 bye',
      ],
    })
    const connection = await open(server, { tls: { ca: server.ca } })
    await connection.readGreeting()
    await connection.run(async (io) => {
      await io.send(Command.of('STARTTLS'))
      io.expect(await io.readCodedReply(), 220)
      await io.upgradeTls()
    })
    expect(connection.secure).toBe(true)
    expect(await connection.execute(Command.of('EHLO', 'again'))).toEqual({ code: 250, lines: ['secure', 'PIPELINING'] })
    await connection.execute(Command.of('QUIT'), { expect: 221 })
    await server.finished()
    server.assertCompleted()
    expect(server.clientLines).toEqual(['STARTTLS', 'EHLO again', 'QUIT'])
  })

  it('STARTTLS: a reply pipelined behind the go-ahead (injection) is refused before any handshake', async () => {
    const server = await scripted({ script: ['S: 220 hello', 'C: STARTTLS', 'S: 220 go ahead', 'S: 250 injected'] })
    const connection = await open(server, { tls: { ca: server.ca } })
    await connection.readGreeting()
    const upgrade = connection.run(async (io) => {
      await io.send(Command.of('STARTTLS'))
      io.expect(await io.readCodedReply(), 220)
      await io.upgradeTls()
    })
    await expect(upgrade).rejects.toBeInstanceOf(ProtocolError)
    expect(connection.secure).toBe(false)
    expect(connection.closed).toBe(true)
  })

  it('connects over IPv6 loopback', async () => {
    const server = await scripted({ host: '::1', script: ['S: 220 six', 'C: QUIT', 'S: 221 bye'] })
    const connection = await open({ host: '::1', port: server.port })
    expect(await connection.readGreeting()).toEqual({ code: 220, lines: ['six'] })
    await connection.execute(Command.of('QUIT'), { expect: 221 })
    await server.finished()
    server.assertCompleted()
  })

  it('connects from the local address it is given', async () => {
    const server = await TestServer.start({ onSession: (session) => session.writeLine(`220 you are ${session.remoteAddress ?? '?'}`) })
    cleanups.push(() => server.close())
    const connection = await open(server, { localAddress: '127.0.0.2' })
    expect((await connection.readGreeting()).lines).toEqual(['you are 127.0.0.2'])
  })

  it('a reply split at every byte by the server still parses (faults.splitWrites)', async () => {
    const server = await scripted({
      faults: { splitWrites: 'byte' },
      script: ['S: 220-first', 'S: 220 second', 'C: EHLO x', 'S: 250-a', 'S: 250-b', 'S: 250 c'],
    })
    const connection = await open(server)
    expect(await connection.readGreeting()).toEqual({ code: 220, lines: ['first', 'second'] })
    expect(await connection.execute(Command.of('EHLO', 'x'))).toEqual({ code: 250, lines: ['a', 'b', 'c'] })
  })

  it('a server that closes after N bytes fails the call with a typed error and leaves nothing pending', async () => {
    const server = await scripted({ faults: { closeAfterBytes: 14 }, script: ['S: 220 hello', 'C: EHLO x', 'S: 250-a', 'S: 250 b'] })
    const connection = await open(server)
    await connection.readGreeting()
    const results = await Promise.allSettled([connection.execute(Command.of('EHLO', 'x')), connection.execute(Command.of('NOOP'))])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(connection.closed).toBe(true)
  })
})
