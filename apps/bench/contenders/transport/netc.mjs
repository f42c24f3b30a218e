// @netc/transport contender of the round-trip comparison (apps/bench/src/comparisons/transport.ts):
// `node netc.mjs <port> <count>`: `count` times NOOP and its reply through Connection.execute, the path
// every protocol's one-command calls take. Prints { workMs, workCpuMs, ops } (the loop only).
import { Command, Connection } from '@netc/transport'

const [port, count] = process.argv.slice(2).map(Number)
const connection = await Connection.open({ host: '127.0.0.1', port, protocol: 'bench' })
await connection.readGreeting()
const noop = Command.of('NOOP')
const cpuStart = process.cpuUsage()
const started = performance.now()
for (let i = 0; i < count; i++) await connection.execute(noop, { expect: 200 })
const workMs = performance.now() - started
const { user, system } = process.cpuUsage(cpuStart)
connection.destroy()
console.log(JSON.stringify({ workMs, workCpuMs: (user + system) / 1000, ops: count }))
