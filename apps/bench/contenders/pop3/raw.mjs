// The floor: a minimal POP3 client on node:net (node:tls for POP3S) with 16 RETR in flight (a sliding window:
// each answer sends the next RETR). USER/PASS, STAT, LIST, UIDL, RETR all, QUIT. Replies are read into one
// growing buffer and handed out as views (no copy); no dot-unstuffing (the mailbox has no dot-led lines).
import { connect as netConnect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { countMessage, run, tally, target } from './common.mjs'

await run(async () => {
  const socket = target.tls === 'implicit' ? tlsConnect({ host: target.host, port: target.port, ca: target.ca }) : netConnect(target.port, target.host)
  const waiting = [] // { multi, resolve, reject } per command sent, in order
  let store = Buffer.allocUnsafe(1 << 16), start = 0, end = 0, scan = 0
  socket.on('data', (chunk) => {
    if (end + chunk.length > store.length) { // a new store: views already handed out keep the old one
      const bigger = Buffer.allocUnsafe(Math.max(1 << 16, 2 * (end - start + chunk.length)))
      store.copy(bigger, 0, start, end), (end -= start), (start = 0), (store = bigger)
    }
    end += chunk.copy(store, end)
    for (let next = waiting[0]; next !== undefined; next = waiting[0]) {
      const view = store.subarray(start, end)
      const lineEnd = view.indexOf('\r\n')
      if (lineEnd < 0) return
      if (view[0] !== 0x2b) return next.reject(new Error(view.subarray(0, lineEnd).toString()))
      let size = lineEnd + 2
      if (next.multi) {
        const terminator = view.indexOf('\r\n.\r\n', Math.max(lineEnd, scan))
        if (terminator < 0) return void (scan = Math.max(lineEnd, view.length - 4))
        size = terminator + 5
      }
      waiting.shift().resolve(next.multi ? view.subarray(lineEnd + 2, size - 3) : view.subarray(0, lineEnd))
      ;(start += size), (scan = 0)
    }
  })
  socket.on('error', (error) => waiting.forEach((w) => w.reject(error)))
  const expect = (multi) => new Promise((resolve, reject) => waiting.push({ multi, resolve, reject }))
  const send = (command, multi = false) => (socket.write(`${command}\r\n`), expect(multi))
  await expect(false) // the greeting
  await send(`USER ${target.user}`)
  await send(`PASS ${target.pass}`)
  ;[tally.statCount, tally.statBytes] = (await send('STAT')).toString().split(' ').slice(1).map(Number)
  const list = (await send('LIST', true)).toString().split('\r\n').filter(Boolean).map((line) => line.split(' ').map(Number))
  for (const [, octets] of list) (tally.listCount += 1), (tally.listBytes += octets)
  tally.uidlCount = (await send('UIDL', true)).toString().split('\r\n').filter(Boolean).length
  let sent = 0
  const retrieveNext = async () => {
    while (sent < list.length) countMessage(await send(`RETR ${list[sent++][0]}`, true))
  }
  await Promise.all(Array.from({ length: 16 }, retrieveNext)) // 16 loops: 16 RETR in flight
  await send('QUIT')
  socket.end()
})
