// yapople 0.4.10, as its README uses it: connect (USER/PASS), stat(), list(), retrieveAll() (STAT again, then RETR
// queued one at a time; all messages kept in one array), disconnect() (QUIT). yapople has no UIDL.
import yapople from 'yapople'
import { countMessage, run, tally, target } from './common.mjs'

await run(async () => {
  const client = new yapople.Client({
    host: target.host,
    port: target.port,
    tls: target.tls === 'implicit',
    username: target.user,
    password: target.pass,
    mailparser: false,
    options: target.ca === undefined ? {} : { ca: target.ca },
  })
  await client.connect()
  const { count, length } = await client.stat()
  tally.statCount = count
  tally.statBytes = length
  const list = await client.list()
  for (const octets of Object.values(list)) {
    tally.listCount++
    tally.listBytes += octets
  }
  const messages = await client.retrieveAll()
  for (const message of messages) if (message !== undefined) countMessage(message)
  await client.disconnect()
})
