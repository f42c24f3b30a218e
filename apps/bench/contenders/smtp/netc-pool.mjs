// @netc/smtp's SmtpPool: every message enqueued (waiting while the queue is full), then close() drains
// the queue and says QUIT. Pool defaults otherwise (100 messages per connection, queue of 1,000).
// usage: node netc-pool.mjs HOST PORT FILE COUNT FROM TO CONNECTIONS
import { readFileSync } from 'node:fs'
import { SmtpPool } from '@netc/smtp'

const [host = '', port = '', file = '', count = '0', from = '', to = '', connections = '5'] = process.argv.slice(2)
const message = readFileSync(file)
const total = Number(count)

const start = performance.now()
const cpuStart = process.cpuUsage()
const pool = new SmtpPool({ host, port: Number(port), tls: 'none', maxConnections: Number(connections) })
let accepted = 0
const deliveries = []
for (let i = 0; i < total; i++) {
  const { delivery } = await pool.enqueue({ from, to: [to] }, message)
  deliveries.push(delivery.then((result) => (accepted += result.accepted.length === 1 ? 1 : 0)))
}
await pool.close()
await Promise.all(deliveries)
const workMs = performance.now() - start
const { user, system } = process.cpuUsage(cpuStart)
const workCpuMs = (user + system) / 1000
console.log(JSON.stringify({ workMs, workCpuMs, ops: accepted, bytes: accepted * message.length }))
