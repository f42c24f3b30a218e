// Load: 200 concurrent @netc/ftp sessions against a real vsftpd, each downloading a 256 KiB file to its
// own local path; every file checked byte for byte. The figures go to docs/RELIABILITY.md (the NETC_LOAD line).
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FtpClient } from '@netc/ftp'
import { formatLoadLine, LoadBarrier, LoadGate, LoadMeter } from '@netc/transport/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ftpUsers, startVsftpd, type FtpDaemon } from '../src/index.ts'
import { daemonHooks } from './daemon-hooks.ts'

const sessions = 200
/** Connects in flight at once: vsftpd listens with a backlog of 32, and a burst of 200 SYNs overflows it. */
const connectingAtOnce = 25
const content = randomBytes(256 * 1024)

let local: string
beforeAll(async () => {
  local = await mkdtemp(join(tmpdir(), 'netc-load-ftp-'))
})
afterAll(async () => {
  await rm(local, { recursive: true, force: true })
})

let vsftpd: FtpDaemon
daemonHooks(
  async () => {
    // vsftpd picks a random passive port and gives up after a few taken ones ("500 OOPS: priv_sock_get_int"):
    // with 200 transfers at once the range must be several times larger than that (the default is 20).
    const daemon = await startVsftpd({ implicitTls: false, passivePortCount: sessions * 4, maxClients: 0, maxPerIp: 0 })
    for (const { user } of ftpUsers) await writeFile(join(daemon.roots[user]!, 'load.bin'), content, { mode: 0o644 })
    return daemon
  },
  (daemon) => {
    vsftpd = daemon
  },
)

describe('load: @netc/ftp against vsftpd', () => {
  it(`${sessions} concurrent sessions download a file each, all checked; descriptors and memory come back`, async () => {
    const meter = LoadMeter.start('ftp', 'vsftpd', sessions)
    const errors: unknown[] = []
    const connecting = new LoadGate(connectingAtOnce)
    // Every session is open before any transfer starts: 200 sessions at once, then 200 transfers at once.
    const everyone = new LoadBarrier(sessions)
    await Promise.all(
      Array.from({ length: sessions }, async (_, index) => {
        const { user, pass } = ftpUsers[index % ftpUsers.length]!
        const target = join(local, `load-${index}.bin`)
        let ftp: FtpClient | undefined
        try {
          ftp = await connecting.run(() => FtpClient.connect({ host: vsftpd.host, port: vsftpd.port, user, password: pass, secure: false }))
          everyone.arrive()
          await everyone.reached
          const size = await ftp.download('load.bin', target)
          meter.count(size === content.length && (await readFile(target)).equals(content))
          await ftp.close()
        } catch (error) {
          if (ftp === undefined) everyone.arrive()
          ftp?.destroy()
          meter.count(false)
          errors.push(error)
        }
      }),
    )
    const figures = await meter.finish()
    console.log(formatLoadLine(figures))
    expect(errors).toEqual([])
    expect(figures).toMatchObject({ failures: 0, operations: sessions })
    expect(await readdir(local)).toHaveLength(sessions)
    // Back near the start: no descriptor left (2 of slack for the runner's own files), heap within 64 MiB.
    expect(figures.fdsAfter).toBeLessThanOrEqual((figures.fdsBefore ?? 0) + 2)
    expect(figures.endHeapMiB).toBeLessThan(figures.startHeapMiB + 64)
  })
})
