// A floor, not a product: the least a Node.js client can do for the small-files workload, with plain
// node:net and synchronous file writes, and none of a library's checks (no temporary file, no
// timeouts, no reply validation beyond the code). `node raw.mjs <files|files-ahead|pool> <remoteDir> <localDir> [N]`
// against FTP_HOST/FTP_PORT as FTP_USER/FTP_PASS; prints one JSON line: { workMs, workCpuMs, ops, bytes }.
// files-ahead: one connection, and the next file's EPSV and RETR go out as soon as the current file's 150
// has come, so that the server finds them waiting when it has sent the 226 (what a client could gain by
// pipelining across files; RFC 959 does not forbid it, and nothing in netc does it yet).
import { closeSync, openSync, writeSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'

const [mode = '', remoteDir = '', localDir = '', connections = '4'] = process.argv.slice(2)
const host = process.env.FTP_HOST ?? '127.0.0.1'
const port = Number(process.env.FTP_PORT)

/** A control connection: `send(line)` and `reply()` (the next reply's code and text). */
async function control() {
  const socket = connect({ host, port, noDelay: true })
  let buffered = ''
  const lines = []
  let waiting
  socket.setEncoding('latin1')
  socket.on('data', (text) => {
    buffered += text
    let end
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      lines.push(buffered.slice(0, end))
      buffered = buffered.slice(end + 2)
    }
    if (waiting !== undefined && lines.length > 0) waiting()
  })
  const line = async () => {
    while (lines.length === 0) await new Promise((resolve) => (waiting = resolve))
    return lines.shift()
  }
  const reply = async () => {
    let first = await line()
    const code = first.slice(0, 3)
    if (first[3] === '-') while (!(first = await line()).startsWith(`${code} `));
    return { code: Number(code), text: first }
  }
  const send = (command) => socket.write(`${command}\r\n`)
  await reply()
  send(`USER ${process.env.FTP_USER ?? 'anonymous'}`)
  await reply()
  send(`PASS ${process.env.FTP_PASS ?? ''}`)
  if ((await reply()).code !== 230) throw new Error('login failed')
  send('TYPE I')
  await reply()
  return { send, reply, close: () => socket.end('QUIT\r\n') }
}

/** retrieve: EPSV, connect, the command, every byte to EOF, the final reply. */
async function retrieve(ftp, command) {
  ftp.send('EPSV')
  const epsv = await ftp.reply()
  const dataPort = Number(/\|\|\|(\d+)\|/.exec(epsv.text)?.[1])
  const data = connect({ host, port: dataPort })
  await new Promise((resolve, reject) => data.once('connect', resolve).once('error', reject))
  const chunks = []
  const ended = new Promise((resolve, reject) => {
    data.on('data', (chunk) => chunks.push(chunk))
    data.once('end', resolve).once('error', reject)
  })
  ftp.send(command)
  if ((await ftp.reply()).code >= 300) throw new Error(`${command} refused`)
  await ended
  data.destroy()
  if ((await ftp.reply()).code !== 226) throw new Error(`${command} failed`)
  return Buffer.concat(chunks)
}

/**
 * retrieveAhead: every command's EPSV and RETR in one write, the next pair sent once the current 150 is
 * in. The server answers in order: 229, 150, (bytes), 226, then the next 229.
 */
async function retrieveAhead(ftp, commands, take) {
  const ask = (i) => {
    if (i < commands.length) ftp.send(`EPSV\r\n${commands[i]}`)
  }
  ask(0)
  for (let i = 0; i < commands.length; i++) {
    const epsv = await ftp.reply()
    const data = connect({ host, port: Number(/\|\|\|(\d+)\|/.exec(epsv.text)?.[1]) })
    const chunks = []
    const ended = new Promise((resolve, reject) => {
      data.on('data', (chunk) => chunks.push(chunk))
      data.once('end', resolve).once('error', reject)
    })
    if ((await ftp.reply()).code >= 300) throw new Error(`${commands[i]} refused`)
    ask(i + 1)
    await ended
    data.destroy()
    if ((await ftp.reply()).code !== 226) throw new Error(`${commands[i]} failed`)
    take(i, Buffer.concat(chunks))
  }
}

function save(path, bytes) {
  const file = openSync(path, 'w')
  writeSync(file, bytes)
  closeSync(file)
}

const started = performance.now()
const cpuStart = process.cpuUsage()
let ops = 0
let bytes = 0
const lister = await control()
const listing = (await retrieve(lister, `LIST ${remoteDir}`)).toString('latin1')
const names = listing.split('\r\n').filter((line) => line.startsWith('-')).map((line) => line.split(/ +/).slice(8).join(' '))
const work = async (ftp) => {
  for (let name = names.pop(); name !== undefined; name = names.pop()) {
    const content = await retrieve(ftp, `RETR ${remoteDir}/${name}`)
    save(join(localDir, name), content)
    ops++
    bytes += content.length
  }
  ftp.close()
}
if (mode === 'files') await work(lister)
else if (mode === 'files-ahead') {
  await retrieveAhead(lister, names.map((name) => `RETR ${remoteDir}/${name}`), (i, content) => {
    save(join(localDir, names[i]), content)
    ops++
    bytes += content.length
  })
  lister.close()
} else if (mode === 'pool') {
  const others = await Promise.all(Array.from({ length: Number(connections) - 1 }, () => control()))
  await Promise.all([lister, ...others].map(work))
} else throw new Error(`unknown mode ${mode}`)
const workMs = performance.now() - started
const { user, system } = process.cpuUsage(cpuStart)
console.log(JSON.stringify({ workMs, workCpuMs: (user + system) / 1000, ops, bytes }))
