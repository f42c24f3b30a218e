// node-pop3 0.11.0, as its README uses it: STAT, LIST, UIDL, then RETR n one after the other, QUIT.
import Pop3Command from 'node-pop3'
import { countMessage, run, tally, target } from './common.mjs'

await run(async () => {
  const pop3 = new Pop3Command({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.pass,
    tls: target.tls === 'implicit',
    tlsOptions: target.ca === undefined ? {} : { ca: target.ca },
  })
  const [count, size] = (await pop3.STAT()).split(' ').map(Number)
  tally.statCount = count
  tally.statBytes = size
  const list = await pop3.LIST()
  tally.listCount = list.length
  for (const [, octets] of list) tally.listBytes += Number(octets)
  tally.uidlCount = (await pop3.UIDL()).length
  for (const [number] of list) countMessage(await pop3.RETR(Number(number)))
  await pop3.QUIT()
})
