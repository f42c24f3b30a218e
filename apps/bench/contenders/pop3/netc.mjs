// @netc/pop3: STAT, then retrieveAll() (LIST, UIDL, RETR pipelined 16 at a time: dovecot offers PIPELINING), QUIT.
// usage: node netc.mjs [reuse]   (reuse: retrieveAll({ reuseBodies: true }), each body read into recycled memory)
import { Pop3Client } from '@netc/pop3'
import { countMessage, run, tally, target } from './common.mjs'

await run(async () => {
  const pop = await Pop3Client.connect({
    host: target.host,
    port: target.port,
    tls: target.tls === 'implicit' ? { mode: 'implicit', ca: target.ca } : 'none',
    auth: { user: target.user, pass: target.pass },
    mechanism: 'USER', // the same login as every other contender
  })
  const { count, size } = await pop.stat()
  tally.statCount = count
  tally.statBytes = size
  const reuseBodies = process.argv[2] === 'reuse'
  for await (const message of pop.retrieveAll({ reuseBodies })) {
    tally.listCount++
    tally.listBytes += message.size
    if (message.uid !== undefined) tally.uidlCount++
    countMessage(message.body)
  }
  await pop.close()
})
