// The floor: a minimal pipelined SMTP client on node:net. EHLO once, then per message MAIL + RCPT + DATA in
// one write, then the pre-dot-stuffed message with its final `.` line (a file made in setup), replies
// counted; no parsing beyond the reply codes, no checks beyond them.
// usage: node socket-loop.mjs HOST PORT STUFFED_FILE COUNT FROM TO MESSAGE_SIZE
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'

const [host = '', port = '', file = '', count = '0', from = '', to = '', size = '0'] = process.argv.slice(2)
const wire = readFileSync(file)
const total = Number(count)
const envelope = Buffer.from(`MAIL FROM:<${from}>\r\nRCPT TO:<${to}>\r\nDATA\r\n`)

const start = performance.now()
const cpuStart = process.cpuUsage()
const socket = connect({ host, port: Number(port), noDelay: true })
let pending = ''
const codes = []
let waiter = null
socket.setEncoding('latin1').on('data', (text) => {
  const lines = (pending + text).split('\r\n')
  pending = lines.pop()
  for (const line of lines) if (line[3] !== '-') codes.push(line.slice(0, 3))
  if (waiter !== null && codes.length >= waiter.n) waiter.resolve(codes.splice(0, waiter.n))
})
const replies = (n) => new Promise((resolve) => {
  if (codes.length >= n) resolve(codes.splice(0, n))
  else waiter = { n, resolve: (got) => ((waiter = null), resolve(got)) }
})
const expect = async (n, wanted) => {
  const got = (await replies(n)).join(' ')
  if (got !== wanted) throw new Error(`expected ${wanted}, got ${got}`)
}
await expect(1, '220')
socket.write('EHLO [127.0.0.1]\r\n')
await expect(1, '250')
let accepted = 0
for (let i = 0; i < total; i++) {
  socket.write(envelope)
  await expect(3, '250 250 354')
  socket.write(wire)
  await expect(1, '250')
  accepted++
}
socket.write('QUIT\r\n')
await expect(1, '221')
socket.end()
const workMs = performance.now() - start
const { user, system } = process.cpuUsage(cpuStart)
const workCpuMs = (user + system) / 1000
console.log(JSON.stringify({ workMs, workCpuMs, ops: accepted, bytes: accepted * Number(size) }))
