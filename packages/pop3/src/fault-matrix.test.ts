import {
  buildFaultMatrix,
  faultOutcomes,
  faultCellName,
  isTested,
  renderFaultMatrix,
  runFaultCell,
  syncMatrixDocument,
  type FaultRig,
  type FaultTarget,
} from '@netc/transport/testing'
import { describe, expect, it } from 'vitest'
import { Pop3Client } from './pop3-client.ts'
import type { Pop3ClientOptions } from './pop3-client-options.ts'
import { Pop3TestServer } from './testing/index.ts'

// The POP3 row of the fault matrix (docs/RELIABILITY.md): each cell is a named test below.
const { connection, protocol, tls, timeout, completes } = faultOutcomes

const cells = buildFaultMatrix('pop3', {
  'connect:refused': connection,
  'connect:stall': timeout('connect'),
  'connect:tls-failure': tls,
  'greeting:reset': connection,
  'greeting:eof': connection,
  'greeting:stall': timeout('greeting'),
  'greeting:garbage': protocol,
  'greeting:oversized': protocol,
  'greeting:drip': completes,
  'tls:reset': tls,
  'tls:eof': tls,
  'tls:stall': timeout('connect'),
  'tls:garbage': tls,
  'tls:drip': completes,
  'tls:tls-failure': tls,
  'tls:starttls-injection': protocol,
  'auth:reset': connection,
  'auth:eof': connection,
  'auth:stall': timeout('reply'),
  'auth:garbage': protocol,
  'auth:oversized': protocol,
  'auth:drip': completes,
  'command:reset': connection,
  'command:eof': connection,
  'command:stall': timeout('reply'),
  'command:garbage': protocol,
  'command:oversized': protocol,
  'command:drip': completes,
  'data:reset': connection,
  'data:eof': connection,
  'data:stall': timeout('reply'),
  'data:garbage': protocol,
  'data:oversized': protocol,
  'data:drip': completes,
  'quit:reset': connection,
  'quit:eof': connection,
  'quit:stall': timeout('reply'),
  'quit:garbage': protocol,
  'quit:oversized': protocol,
  'quit:drip': completes,
})

const dave = { user: 'dave', pass: 'secret' }
const messages = ['Subject: one\r\n\r\nfirst\r\n', 'Subject: two\r\n\r\nsecond\r\n']

/** The rig: a fake maildrop of two messages; the session reads STAT, retrieves and deletes message 1, says QUIT. */
function pop3Rig(): FaultRig {
  let server: Pop3TestServer | undefined
  return {
    triggers: { tls: /^STLS$/, auth: /^(USER|AUTH|APOP) /, command: /^STAT$/, data: /^RETR /, quit: /^QUIT$/ },
    async startServer({ implicitTls }) {
      const started = await Pop3TestServer.start({ tls: implicitTls ? 'implicit' : 'none', mailbox: { ...dave, messages } })
      server = started
      return {
        host: started.host,
        port: started.port,
        ca: started.ca,
        openSessions: () => started.sessions.filter((session) => !session.isClosed).length,
        close: () => started.close(),
      }
    },
    async session(target) {
      if (server === undefined) throw new Error('no server')
      let retrieved: Buffer | undefined
      // Nothing lost: a message leaves the maildrop only after QUIT, and only once the client has it.
      const checkNothingLost = (): void => {
        const left = server?.messages('dave').length
        if (left !== 2 && !(left === 1 && retrieved !== undefined)) throw new Error(`lost a message: ${left} left, retrieved: ${retrieved !== undefined}`)
      }
      try {
        const pop = await Pop3Client.connect({ ...clientOptions(target), auth: dave })
        target.track(pop)
        const status = await pop.stat()
        if (status.count !== 2) throw new Error(`STAT said ${status.count} messages`)
        retrieved = await pop.retrieve(1)
        if (retrieved.toString() !== messages[0]) throw new Error('RETR 1 returned the wrong bytes')
        await pop.delete(1)
        await pop.close()
        if (server.messages('dave').length !== 1) throw new Error('the deletion was not committed')
      } catch (error) {
        checkNothingLost()
        throw error
      }
      checkNothingLost()
    },
  }
}

function clientOptions(target: FaultTarget): Pop3ClientOptions {
  const ca = target.ca === undefined ? {} : { ca: target.ca }
  const mode = target.tls === 'none' ? 'none' : target.tls === 'starttls' ? 'required' : 'implicit'
  return {
    host: target.host,
    port: target.port,
    tls: { mode, ...ca },
    timeouts: target.timeouts,
    ...(target.connect === undefined ? {} : { connect: target.connect }),
  }
}

describe('the POP3 fault matrix', () => {
  for (const cell of cells.filter(isTested)) {
    it(faultCellName('pop3', cell), async () => {
      expect(await runFaultCell(pop3Rig(), cell)).toEqual([])
    })
  }

  it('docs/RELIABILITY.md lists exactly these cells', async () => {
    const table = renderFaultMatrix('pop3', cells, 'packages/pop3/src/fault-matrix.test.ts')
    expect(await syncMatrixDocument(new URL('../../../docs/RELIABILITY.md', import.meta.url), 'pop3', table)).toBeUndefined()
  })
})
