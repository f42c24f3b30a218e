// @netc/smtp, one connection: `send` per message, one after the other (the README's way). With the
// server's PIPELINING and CHUNKING the envelope and the message go as MAIL + RCPT + BDAT LAST; with
// `transfer=data` as argv[7] the message goes after DATA, dot-stuffed.
// usage: node netc.mjs HOST PORT FILE COUNT FROM TO [auto|data]
import { readFileSync } from 'node:fs'
import { SmtpClient } from '@netc/smtp'

const [host = '', port = '', file = '', count = '0', from = '', to = '', transfer = 'auto'] = process.argv.slice(2)
const message = readFileSync(file)
const total = Number(count)

const start = performance.now()
const cpuStart = process.cpuUsage()
const smtp = await SmtpClient.connect({ host, port: Number(port), tls: 'none' })
let accepted = 0
for (let i = 0; i < total; i++) {
  const result = await smtp.send({ from, to: [to] }, message, { transfer })
  if (result.accepted.length === 1) accepted++
}
await smtp.close()
const workMs = performance.now() - start
const { user, system } = process.cpuUsage(cpuStart)
const workCpuMs = (user + system) / 1000
console.log(JSON.stringify({ workMs, workCpuMs, ops: accepted, bytes: accepted * message.length, transfer }))
