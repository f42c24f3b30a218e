// The POST floor (issue 7): `node raw-post.mjs '<spec JSON>'` posts the same articles as the other POST
// contenders over plain node:net, with no library: POST, wait for 340, the article (CRLF, dot-stuffed,
// `.` line) in one write, wait for 240 (RFC 3977 section 6.3.1). spec: { port, postFile, tag }. Prints
// { workMs, workCpuMs, ops, bytes } (connect and QUIT included, as netc.mjs counts them).
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'

const spec = JSON.parse(process.argv[2] ?? '{}')
const articles = JSON.parse(readFileSync(spec.postFile, 'utf8')).map((text) => text.replaceAll('@@TAG@@', spec.tag))
const wire = articles.map((text) => {
  const crlf = text.replace(/\r?\n/g, '\r\n')
  const ended = crlf.endsWith('\r\n') ? crlf : `${crlf}\r\n`
  return Buffer.from(`${ended.replace(/^\./gm, '..')}.\r\n`)
})

const started = performance.now()
const cpuStart = process.cpuUsage()
const socket = connect({ host: '127.0.0.1', port: spec.port, noDelay: true })
let pending = ''
let waiter
/** The next reply line (single-line replies only: all POST needs). */
function reply() {
  return new Promise((resolve) => {
    waiter = resolve
    deliver()
  })
}
function deliver() {
  const end = pending.indexOf('\r\n')
  if (end === -1 || waiter === undefined) return
  const line = pending.slice(0, end)
  pending = pending.slice(end + 2)
  const resolve = waiter
  waiter = undefined
  resolve(line)
}
socket.on('data', (chunk) => {
  pending += chunk.toString('latin1')
  deliver()
})
const greeting = await reply()
if (!greeting.startsWith('200')) throw new Error(`greeting ${greeting}`)
let ops = 0
let bytes = 0
for (const [i, article] of wire.entries()) {
  socket.write('POST\r\n')
  const go = await reply()
  if (!go.startsWith('340')) throw new Error(`POST answered ${go}`)
  socket.write(article)
  const done = await reply()
  if (!done.startsWith('240')) throw new Error(`the article answered ${done}`)
  ops++
  bytes += Buffer.byteLength(articles[i])
}
socket.write('QUIT\r\n')
await reply()
socket.end()
const workMs = performance.now() - started
const { user, system } = process.cpuUsage(cpuStart)
console.log(JSON.stringify({ workMs, workCpuMs: (user + system) / 1000, ops, bytes }))
