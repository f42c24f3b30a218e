/**
 * The transport comparison: what one command and its reply cost, N times in a row, through
 * @netc/transport's `Connection.execute` beside plain node:net and Python's socket file (the way smtplib,
 * poplib and nntplib talk), against one small line server (contenders/transport/line-server.py). No
 * protocol, no server work: the client's own cost per round trip, which every one-at-a-time operation
 * (a POST, an FTP file, a RETR) pays at least twice.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { BenchMode, Comparison, ContenderOutput } from '../compare/comparison.ts'

const contenderDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../../contenders/transport')
const python = '/usr/bin/python3'

interface LineServer {
  port: number
  count: number
  server: ChildProcess
}

/** Starts the line server and reads the port it prints. */
async function startLineServer(count: number): Promise<LineServer> {
  const server = spawn(python, [join(contenderDirectory, 'line-server.py')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream })
  const [first] = (await Promise.race([once(lines, 'line'), once(server, 'exit').then(() => [undefined])])) as [string | undefined]
  lines.close()
  const port = Number(first)
  if (!Number.isInteger(port) || port <= 0) {
    server.kill()
    throw new Error(`the line server did not start (${String(first)})`)
  }
  return { port, count, server }
}

async function stopLineServer(context: LineServer): Promise<void> {
  if (context.server.exitCode !== null) return
  const exited = once(context.server, 'exit')
  context.server.stdin?.end() // it stops when its stdin closes
  const timer = setTimeout(() => context.server.kill(), 2000)
  await exited
  clearTimeout(timer)
}

function roundTrips(count: { quick: number; full: number }, warm: string): Comparison<LineServer> {
  return {
    name: `transport-roundtrip-${count.full}`,
    group: 'transport',
    title: `Transport: ${count.full.toLocaleString('en')} commands one at a time, each waiting for its reply (quick ${count.quick}), ${warm}`,
    baseline: 'netc',
    setup: (mode: BenchMode) => startLineServer(count[mode]),
    contenders: [
      { name: 'netc', command: (c) => ({ argv: [process.execPath, join(contenderDirectory, 'netc.mjs'), String(c.port), String(c.count)] }) },
      { name: 'node:net onread', command: (c) => ({ argv: [process.execPath, join(contenderDirectory, 'raw.mjs'), String(c.port), String(c.count)] }) },
      { name: 'python socket', command: (c) => ({ argv: [python, join(contenderDirectory, 'py_socket.py'), String(c.port), String(c.count)] }) },
    ],
    verify(context: LineServer, contender: string, output: ContenderOutput) {
      if (output.ops !== context.count) throw new Error(`${contender} did ${String(output.ops)} round trips, not ${context.count}`)
    },
    teardown: stopLineServer,
  }
}

/** The transport comparisons: the cost of a round trip while V8 still warms up (1,000) and once it has (20,000). */
export const transportComparisons: Array<Comparison<unknown>> = [
  roundTrips({ quick: 50, full: 1000 }, 'V8 warming up (the length of a 500-article POST run)'),
  roundTrips({ quick: 200, full: 20_000 }, 'V8 warm'),
]
