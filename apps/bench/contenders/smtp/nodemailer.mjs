// nodemailer with the ready-made message (`raw`, envelope given), STARTTLS ignored (plain, as the others).
// POOL=0: a plain transport, one connection per message, sent one after the other.
// POOL=n: `pool: true, maxConnections: n` (maxMessages 100, its default); every sendMail is called at
// once and the pool queues them, as its README shows; then close().
// usage: node nodemailer.mjs HOST PORT FILE COUNT FROM TO POOL
import { readFileSync } from 'node:fs'
import nodemailer from 'nodemailer'

const [host = '', port = '', file = '', count = '0', from = '', to = '', poolSize = '0'] = process.argv.slice(2)
const message = readFileSync(file)
const total = Number(count)
const connections = Number(poolSize)

const start = performance.now()
const cpuStart = process.cpuUsage()
const transport = nodemailer.createTransport({
  host,
  port: Number(port),
  secure: false,
  ignoreTLS: true,
  ...(connections > 0 ? { pool: true, maxConnections: connections } : {}),
})
const mail = { envelope: { from, to: [to] }, raw: message }
let accepted = 0
if (connections > 0) {
  const sends = []
  for (let i = 0; i < total; i++) sends.push(transport.sendMail(mail).then((info) => (accepted += info.accepted.length === 1 ? 1 : 0)))
  await Promise.all(sends)
} else {
  for (let i = 0; i < total; i++) {
    const info = await transport.sendMail(mail)
    if (info.accepted.length === 1) accepted++
  }
}
transport.close()
const workMs = performance.now() - start
const { user, system } = process.cpuUsage(cpuStart)
const workCpuMs = (user + system) / 1000
console.log(JSON.stringify({ workMs, workCpuMs, ops: accepted, bytes: accepted * message.length }))
