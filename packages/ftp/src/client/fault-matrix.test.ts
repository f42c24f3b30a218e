import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FtpTestServer } from '../testing/ftp-test-server.ts'
import type { FtpClientOptions } from './ftp-client-options.ts'
import { FtpClient } from './ftp-client.ts'

// The FTP row of the fault matrix (docs/RELIABILITY.md): each cell is a named test below. The command
// phase is PWD, the data phase RETR (faults on the control connection during a download to a file; the
// data connection's own faults are in faults.test.ts). A fault after QUIT is no failure: close() still
// ends with the connection closed.
const { connection, protocol, tls, timeout, completes } = faultOutcomes

const cells = buildFaultMatrix('ftp', {
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
  'data:pasv-elsewhere': completes,
})

const dave = { user: 'dave', pass: 'secret' }
const content = randomBytes(256 * 1024)

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-ftp-matrix-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

/** The rig: a fake FTP server with one 256 KiB file; the session logs in, reads PWD, downloads the file to a path, says QUIT. */
function ftpRig(): FaultRig {
  return {
    triggers: { tls: /^AUTH TLS$/, auth: /^USER /, command: /^PWD$/, data: /^RETR /, quit: /^QUIT$/ },
    async startServer({ implicitTls, pasvElsewhere }) {
      const started = await FtpTestServer.start({
        users: { [dave.user]: dave.pass },
        anonymous: false,
        files: { 'file.bin': content },
        tls: implicitTls ? 'implicit' : 'explicit',
        ...(pasvElsewhere ? { faults: { pasvAddress: '127.0.0.2', refuseEpsv: true } } : {}),
      })
      // FtpTestServer does not expose its sessions: the proxy's sockets and the descriptor count stand in.
      return { host: started.host, port: started.port, ca: started.ca, openSessions: () => 0, close: () => started.close() }
    },
    async session(target) {
      const destination = join(directory, 'file.bin')
      // No partial file: the destination is either absent or whole.
      const checkNoPartialFile = async (): Promise<void> => {
        const names = await readdir(directory)
        if (names.length > 0 && !(names.length === 1 && (await readFile(destination)).equals(content))) throw new Error(`left behind: ${names.join()}`)
      }
      try {
        const ftp = await FtpClient.connect({ ...clientOptions(target), user: dave.user, password: dave.pass })
        target.track(ftp)
        if ((await ftp.pwd()) !== '/') throw new Error('PWD is not /')
        const size = await ftp.download('file.bin', destination)
        if (size !== content.length || !(await readFile(destination)).equals(content)) throw new Error('the download is wrong')
        await ftp.close()
      } catch (error) {
        await checkNoPartialFile()
        throw error
      }
      await checkNoPartialFile()
    },
  }
}

function clientOptions(target: FaultTarget): FtpClientOptions {
  const ca = target.ca === undefined ? {} : { ca: target.ca }
  return {
    host: target.host,
    port: target.port,
    secure: target.tls === 'none' ? false : target.tls === 'starttls' ? 'explicit' : 'implicit',
    tls: ca,
    timeouts: target.timeouts,
    ...(target.connect === undefined ? {} : { connect: target.connect }),
  }
}

describe('the FTP fault matrix', () => {
  for (const cell of cells.filter(isTested)) {
    it(faultCellName('ftp', cell), async () => {
      expect(await runFaultCell(ftpRig(), cell)).toEqual([])
    })
  }

  it('docs/RELIABILITY.md lists exactly these cells', async () => {
    const table = renderFaultMatrix('ftp', cells, 'packages/ftp/src/client/fault-matrix.test.ts')
    expect(await syncMatrixDocument(new URL('../../../../docs/RELIABILITY.md', import.meta.url), 'ftp', table)).toBeUndefined()
  })
})
