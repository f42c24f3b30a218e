// The floor of the round-trip comparison: plain node:net reading through `onread` (as the transport's
// own sockets do), one write per command, a promise per reply, no parsing beyond finding the line end.
// `node raw.mjs <port> <count>`; prints { workMs, workCpuMs, ops }.
import { connect } from 'node:net'

const [port, count] = process.argv.slice(2).map(Number)
let wake
let text = ''
const socket = connect({
  host: '127.0.0.1',
  port,
  noDelay: true,
  onread: {
    buffer: Buffer.allocUnsafe(65536),
    callback: (bytes, buffer) => {
      text += Buffer.from(buffer.buffer, buffer.byteOffset, bytes).toString('latin1')
      const end = text.indexOf('\r\n')
      if (end === -1) return
      const line = text.slice(0, end)
      text = text.slice(end + 2)
      const resume = wake
      wake = undefined
      resume?.(line)
    },
  },
})
const reply = () => new Promise((resolve) => (wake = resolve))
await reply()
const cpuStart = process.cpuUsage()
const started = performance.now()
for (let i = 0; i < count; i++) {
  socket.write('NOOP\r\n')
  if (!(await reply()).startsWith('200')) throw new Error('unexpected reply')
}
const workMs = performance.now() - started
const { user, system } = process.cpuUsage(cpuStart)
socket.destroy()
console.log(JSON.stringify({ workMs, workCpuMs: (user + system) / 1000, ops: count }))
