// The floor of the OVER comparison (apps/bench/src/comparisons/nntp.ts): node:net alone, no library. It reads
// the greeting, sends GROUP and "OVER first-last" (no CAPABILITIES, no LIST OVERVIEW.FMT: it assumes the
// RFC 3977 order, which INN's default overview.fmt has), scans the block's bytes for CRLFs, and of each line
// hashes the Message-ID field and adds the :bytes field, which is what verify checks. No dot-unstuffing:
// INN's overview lines never start with a dot (they start with the article number).
// usage: node raw-over.mjs '<spec JSON>'   spec: { port, group, first, count }. Prints one JSON line last.
import { createHash } from 'node:crypto'
import { connect } from 'node:net'

const spec = JSON.parse(process.argv[2])
const CR = 13
const TAB = 9

const start = process.hrtime.bigint()
const cpuStart = process.cpuUsage()
const socket = connect({ host: '127.0.0.1', port: spec.port, noDelay: true })
const ids = createHash('sha256')
let ops = 0
let bytes = 0
let phase = 'greeting'
let pending = Buffer.alloc(0)
let connectMs = 0
let closing = 0n
let blocks = 0
/** How many OVER commands the range is cut into, sent in one write (pipelined, RFC 3977 section 3.5). */
const ranges = Math.max(1, spec.ranges ?? 1)

/** The OVER commands, `ranges` consecutive parts of first..first+count-1, as one string. */
function overCommands() {
  const last = spec.first + spec.count - 1
  const size = Math.ceil(spec.count / ranges)
  let text = ''
  for (let from = spec.first; from <= last; from += size) text += `OVER ${from}-${Math.min(last, from + size - 1)}\r\n`
  return text
}

/** One overview line, `line` without its CRLF. */
function overviewLine(line) {
  let field = 0
  let from = 0
  let id
  for (let at = 0; at <= line.length; at++) {
    if (at < line.length && line[at] !== TAB) continue
    if (field === 4) id = line.subarray(from, at)
    else if (field === 6) {
      bytes += Number(line.toString('latin1', from, at))
      break
    }
    field++
    from = at + 1
  }
  ops++
  if (id !== undefined) ids.update(id).update('\n')
}

function statusLine(line) {
  const text = line.toString('latin1')
  if (phase === 'greeting') {
    if (!/^20[01] /.test(text)) throw new Error(`greeting ${text}`)
    connectMs = Number(process.hrtime.bigint() - start) / 1e6
    phase = 'group'
    socket.write(`GROUP ${spec.group}\r\n`)
  } else if (phase === 'group') {
    if (!text.startsWith('211 ')) throw new Error(`GROUP answered ${text}`)
    phase = 'over'
    socket.write(overCommands())
  } else if (phase === 'over') {
    if (!text.startsWith('224 ')) throw new Error(`OVER answered ${text}`)
    phase = 'block'
  } else if (phase === 'quit') {
    socket.destroy()
    const since = (t) => Number(process.hrtime.bigint() - t) / 1e6
    const { user, system } = process.cpuUsage(cpuStart)
    console.log(JSON.stringify({ workMs: since(start), workCpuMs: (user + system) / 1000, connectMs, closeMs: since(closing), ops, bytes, idsSha256: ids.digest('hex') }))
  }
}

socket.on('data', (chunk) => {
  let data = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
  let from = 0
  for (;;) {
    const cr = data.indexOf(CR, from)
    if (cr < 0 || cr + 1 >= data.length) break
    const line = data.subarray(from, cr)
    from = cr + 2
    if (phase !== 'block') statusLine(line)
    else if (line.length === 1 && line[0] === 0x2e) {
      if (++blocks < ranges) phase = 'over'
      else {
        phase = 'quit'
        closing = process.hrtime.bigint()
        socket.write('QUIT\r\n')
      }
    } else overviewLine(line)
  }
  pending = data.subarray(from)
  if (pending.length > 0) pending = Buffer.from(pending)
  data = undefined
})
socket.on('error', (error) => {
  console.error(error)
  process.exitCode = 1
})
