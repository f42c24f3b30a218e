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
import { isDeliveryUncertain } from './delivery-uncertain.ts'
import { SmtpClient } from './smtp-client.ts'
import type { SmtpClientOptions } from './smtp-client-options.ts'
import { SmtpTestServer } from './testing/index.ts'

// The SMTP row of the fault matrix (docs/RELIABILITY.md): each cell is a named test below. The command
// phase is the envelope (MAIL FROM), the data phase the final reply after the message's end ("."). A
// fault after QUIT is no failure: the message is delivered, close() still ends with the connection closed.
const { connection, protocol, tls, timeout, completes } = faultOutcomes

const cells = buildFaultMatrix('smtp', {
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
  'quit:reset': completes,
  'quit:eof': completes,
  'quit:stall': completes,
  'quit:garbage': completes,
  'quit:oversized': completes,
  'quit:drip': completes,
})

const dave = { user: 'dave', pass: 'secret' }
const message = 'Subject: matrix\r\n\r\nhello\r\n'

/** The rig: a fake SMTP server with AUTH; the session sends one message (DATA) and says QUIT. */
function smtpRig(): FaultRig {
  let server: SmtpTestServer | undefined
  return {
    triggers: { tls: /^STARTTLS$/, auth: /^AUTH /, command: /^MAIL FROM:/, data: /^\.$/, quit: /^QUIT$/ },
    async startServer({ implicitTls }) {
      const started = await SmtpTestServer.start({ tls: implicitTls ? 'implicit' : 'none', auth: { users: { [dave.user]: dave.pass } } })
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
      let sent = false
      try {
        const smtp = await SmtpClient.connect({ ...clientOptions(target), auth: dave })
        target.track(smtp)
        const result = await smtp.send({ from: 'a@example.com', to: ['b@example.com'] }, message, { transfer: 'data' })
        if (result.accepted.join() !== 'b@example.com') throw new Error(`accepted ${result.accepted.join()}`)
        if (server.messages.length !== 1 || server.messages[0]?.message.toString() !== message) throw new Error('the server did not get the message')
        sent = true
        await smtp.close()
      } catch (error) {
        // Nothing lost, nothing doubled: a failed send either left nothing on the server, or is marked
        // uncertain (the reply to the message's end was lost), so that no pool sends it again.
        const taken = server.messages.length
        if (taken > 1) throw new Error(`the server took the message ${taken} times`, { cause: error })
        if (taken === 1 && !sent && !isDeliveryUncertain(error)) throw new Error('the server took the message, but the error does not say delivery is uncertain', { cause: error })
        throw error
      }
    },
  }
}

function clientOptions(target: FaultTarget): SmtpClientOptions {
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

describe('the SMTP fault matrix', () => {
  for (const cell of cells.filter(isTested)) {
    it(faultCellName('smtp', cell), async () => {
      expect(await runFaultCell(smtpRig(), cell)).toEqual([])
    })
  }

  it('docs/RELIABILITY.md lists exactly these cells', async () => {
    const table = renderFaultMatrix('smtp', cells, 'packages/smtp/src/fault-matrix.test.ts')
    expect(await syncMatrixDocument(new URL('../../../docs/RELIABILITY.md', import.meta.url), 'smtp', table)).toBeUndefined()
  })
})
