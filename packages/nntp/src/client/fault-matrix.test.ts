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
import { sampleGroups } from '../__fixtures__/sample-groups.ts'
import { NntpTestServer } from '../testing/index.ts'
import type { NntpClientOptions } from './nntp-client-options.ts'
import { NntpClient } from './nntp-client.ts'

// The NNTP row of the fault matrix (docs/RELIABILITY.md): each cell is a named test below. The command
// phase is GROUP, the data phase the overview read (OVER). A fault after QUIT is no failure: close()
// still ends with the connection closed.
const { connection, protocol, tls, timeout, completes } = faultOutcomes

const cells = buildFaultMatrix('nntp', {
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

/** The rig: the sample groups behind a login; the session selects misc.test, reads its overview, says QUIT. */
function nntpRig(): FaultRig {
  return {
    triggers: { tls: /^STARTTLS$/, auth: /^AUTHINFO /, command: /^GROUP /, data: /^X?OVER /, quit: /^QUIT$/ },
    async startServer({ implicitTls }) {
      const started = await NntpTestServer.start({ groups: sampleGroups(), auth: dave, starttls: !implicitTls, tls: implicitTls ? 'implicit' : 'none' })
      return {
        host: started.host,
        port: started.port,
        ca: started.ca,
        openSessions: () => started.sessions.filter((session) => !session.isClosed).length,
        close: () => started.close(),
      }
    },
    async session(target) {
      const news = await NntpClient.connect({ ...clientOptions(target), auth: dave })
      target.track(news)
      const group = await news.group('misc.test')
      if (group.count !== 3) throw new Error(`GROUP said ${group.count} articles`)
      const ids: string[] = []
      for await (const entry of news.overview({ from: group.first, to: group.last })) ids.push(entry.messageId)
      if (ids.join() !== '<first@example.org>,<second@example.org>,<third@example.org>') throw new Error(`overview: ${ids.join()}`)
      await news.close()
    },
  }
}

function clientOptions(target: FaultTarget): NntpClientOptions {
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

describe('the NNTP fault matrix', () => {
  for (const cell of cells.filter(isTested)) {
    it(faultCellName('nntp', cell), async () => {
      expect(await runFaultCell(nntpRig(), cell)).toEqual([])
    })
  }

  it('docs/RELIABILITY.md lists exactly these cells', async () => {
    const table = renderFaultMatrix('nntp', cells, 'packages/nntp/src/client/fault-matrix.test.ts')
    expect(await syncMatrixDocument(new URL('../../../../docs/RELIABILITY.md', import.meta.url), 'nntp', table)).toBeUndefined()
  })
})
