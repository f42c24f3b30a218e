import { connect as netConnect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { TimeoutError } from '../errors/index.ts'
import { buildFaultMatrix, outcomeMismatch, settleWithin } from './fault-matrix.ts'
import { FaultProxy, type ProxyFault } from './fault-proxy.ts'
import { LeakCheck } from './leak-check.ts'
import { renderFaultMatrix, replaceMatrixSection } from './render-fault-matrix.ts'
import { TestServer } from './test-server.ts'

/** A line server: greets, then answers each line with `250 <line>`. */
function echoServer(): Promise<TestServer> {
  return TestServer.start({
    async onSession(session) {
      await session.writeLine('220 hello')
      for (let line = await session.readLine(); line !== undefined; line = await session.readLine()) await session.writeLine(`250 ${line}`)
    },
  })
}

/** Connects through `proxy`, sends `lines` one answer at a time, and returns everything received until the socket ends (or 1 s passes). */
async function converse(proxy: FaultProxy, lines: string[]): Promise<{ received: string; error: string | undefined }> {
  const socket: Socket = netConnect({ host: proxy.host, port: proxy.port })
  let received = ''
  let error: string | undefined
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')))
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code))
  for (const line of lines) {
    socket.write(`${line}\r\n`)
    // The next line only once this one is answered, so the fault strikes between the two answers.
    if (line !== lines.at(-1)) await until(() => received.includes(`250 ${line}\r\n`))
  }
  await settleWithin(new Promise((resolve) => socket.on('close', resolve)), 1000)
  socket.destroy()
  return { received, error }
}

/** Polls `condition` every 5 ms for at most a second. */
async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('FaultProxy', () => {
  it.each<[ProxyFault, (received: string, error: string | undefined) => boolean]>([
    ['none', (received) => received === '220 hello\r\n250 A\r\n250 B\r\n'],
    ['reset', (received, error) => received === '220 hello\r\n250 A\r\n' && error === 'ECONNRESET'],
    ['eof', (received, error) => received === '220 hello\r\n250 A\r\n' && error === undefined],
    ['stall', (received) => received === '220 hello\r\n250 A\r\n'],
    ['garbage', (received) => received.startsWith('220 hello\r\n250 A\r\n\u0016\u0003')],
    ['oversized', (received) => received.length > 128 * 1024],
    ['drip', (received) => received === '220 hello\r\n250 A\r\n250 B\r\n'],
  ])('strikes %s at the first matching client line', async (fault, check) => {
    await using server = await echoServer()
    await using proxy = await FaultProxy.start({ target: server, fault, trigger: /^B$/ })
    const { received, error } = await converse(proxy, ['A', 'B'])
    expect(check(received, error)).toBe(true)
    expect(proxy.faultsStruck).toBe(1)
  })

  it('never strikes when the trigger does not match', async () => {
    await using server = await echoServer()
    await using proxy = await FaultProxy.start({ target: server, fault: 'reset', trigger: /^NEVER$/ })
    const socket = netConnect({ host: proxy.host, port: proxy.port })
    socket.write('A\r\n')
    await new Promise((resolve) => socket.once('data', resolve))
    socket.destroy()
    expect(proxy.faultsStruck).toBe(0)
  })
})

describe('LeakCheck', () => {
  it('reports a socket left open, and nothing once it is closed', async () => {
    await using server = await echoServer()
    const leaking = LeakCheck.start()
    const socket = netConnect({ host: server.host, port: server.port })
    await new Promise((resolve) => socket.once('data', resolve))
    const report = await leaking.finish({ maxWaitMs: 100 })
    expect(report.leaks.some((leak) => leak.startsWith('TCPSocketWrap') || leak.startsWith('fds'))).toBe(true)
    const clean = LeakCheck.start()
    socket.destroy()
    expect((await clean.finish()).leaks).toEqual([])
  })
})

describe('the matrix helpers', () => {
  it('outcomeMismatch names what differs', () => {
    const timeout = new TimeoutError('late', { phase: 'reply', timeout: 5 })
    const expected = { error: 'TimeoutError', code: 'ERR_NETC_TIMEOUT', phase: 'reply' } as const
    expect(outcomeMismatch({ status: 'rejected', reason: timeout }, expected)).toBeUndefined()
    expect(outcomeMismatch({ status: 'rejected', reason: timeout }, { ...expected, phase: 'greeting' })).toMatch(/got TimeoutError\(reply\)/)
    expect(outcomeMismatch({ status: 'pending' }, expected)).toMatch(/hung/)
    expect(outcomeMismatch({ status: 'fulfilled', value: 1 }, expected)).toMatch(/completed/)
    expect(outcomeMismatch({ status: 'rejected', reason: new Error('x') }, { completes: true })).toMatch(/expected completion/)
  })

  it('renders every cell and replaces only its own section', () => {
    const cells = buildFaultMatrix('pop3', { 'greeting:stall': { error: 'TimeoutError', code: 'ERR_NETC_TIMEOUT', phase: 'greeting' } })
    expect(cells).toHaveLength(70)
    const table = renderFaultMatrix('pop3', cells, 'f.test.ts')
    expect(table).toContain('| greeting | stall | TimeoutError(greeting) `ERR_NETC_TIMEOUT` | `pop3 › greeting › stall → TimeoutError(greeting)` |')
    const document = 'a\n<!-- fault-matrix:pop3 -->\nold\n<!-- /fault-matrix:pop3 -->\nb\n'
    expect(replaceMatrixSection(document, 'pop3', 'new')).toBe('a\n<!-- fault-matrix:pop3 -->\nnew\n<!-- /fault-matrix:pop3 -->\nb\n')
    expect(() => replaceMatrixSection(document, 'ftp', 'new')).toThrow(/no <!-- fault-matrix:ftp -->/)
  })
})
