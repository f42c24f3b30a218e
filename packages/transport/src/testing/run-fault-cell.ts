import type { ConnectFunction } from '../connection/connect-socket.ts'
import type { Timeouts } from '../connection/timeouts.ts'
import { closedPort, lateConnect } from './connect-faults.ts'
import { outcomeMismatch, settleWithin, waitUntilZero, type TestedFaultCell } from './fault-matrix.ts'
import { FaultProxy, type ProxyFault } from './fault-proxy.ts'
import { LeakCheck } from './leak-check.ts'

/** A fake server as the matrix sees it: where it listens, its CA, and how many of its sessions are open. */
export interface FaultRigServer {
  host: string
  port: number
  /** The CA (PEM) that signed its certificate. */
  ca: string
  openSessions(): number
  close(): Promise<void>
}

/** Where and how a matrix session connects. */
export interface FaultTarget {
  host: string
  port: number
  tls: 'none' | 'starttls' | 'implicit'
  /** The CA to trust; undefined: none (the fake's certificate is then refused). */
  ca: string | undefined
  timeouts: Partial<Timeouts>
  connect?: ConnectFunction
  /** Hand every client the session opens to the runner, which destroys it after the checks. */
  track(client: { destroy(): void }): void
}

/** FaultRig: what one protocol's matrix test supplies; the table and the named tests stay in that file. */
export interface FaultRig {
  /** Starts the fake server with a known content; `implicitTls` for connect › tls-failure, `pasvElsewhere` for FTP. */
  startServer(options: { implicitTls: boolean; pasvElsewhere: boolean }): Promise<FaultRigServer>
  /** The client's first line in each phase: `/^STLS/`, `/^USER /`, `/^STAT/`, `/^RETR /`, `/^QUIT/`. */
  triggers: Record<'tls' | 'auth' | 'command' | 'data' | 'quit', RegExp>
  /**
   * Runs a whole session (connect, TLS when asked, login, a command, a transfer, quit), checking every
   * result against the server's content, and throwing a plain Error on a wrong one. After a failure it
   * also checks that nothing was lost (no partial file, nothing deleted or sent twice).
   */
  session(target: FaultTarget): Promise<void>
}

/** The timeouts of a stall cell (short: a stall must end in a TimeoutError) and of every other cell. */
const stallTimeouts: Partial<Timeouts> = { connect: 250, greeting: 250, reply: 250, data: 250 }
const calmTimeouts: Partial<Timeouts> = { connect: 10_000, greeting: 10_000, reply: 10_000, data: 10_000 }

/**
 * runFaultCell: runs one cell of the fault matrix against `rig` and returns what went wrong (empty: the
 * cell holds): the outcome (the typed error within the bound, or completion), the fault struck exactly
 * once, every socket of the fake server and the proxy closed, no file descriptor or handle left, no
 * unhandled rejection (LeakCheck).
 *
 * ```ts
 * it(faultCellName('pop3', cell), async () => expect(await runFaultCell(rig, cell)).toEqual([]))
 * ```
 */
export async function runFaultCell(rig: FaultRig, cell: TestedFaultCell): Promise<string[]> {
  const leaks = LeakCheck.start()
  const problems: string[] = []
  const clients: Array<{ destroy(): void }> = []
  const timeouts = cell.fault === 'stall' ? stallTimeouts : calmTimeouts
  const server = await rig.startServer({ implicitTls: cell.phase === 'connect' && cell.fault === 'tls-failure', pasvElsewhere: cell.fault === 'pasv-elsewhere' })
  let proxy: FaultProxy | undefined
  try {
    const base = { host: server.host, port: server.port, tls: 'none', ca: server.ca, timeouts, track: (client: { destroy(): void }) => clients.push(client) } as const
    let target: FaultTarget = base
    if (cell.phase === 'connect') {
      if (cell.fault === 'refused') target = { ...base, port: await closedPort() }
      if (cell.fault === 'stall') target = { ...base, connect: lateConnect(1000) }
      if (cell.fault === 'tls-failure') target = { ...base, tls: 'implicit', ca: undefined }
    } else if (cell.phase === 'tls' && cell.fault === 'tls-failure') {
      target = { ...base, tls: 'starttls', ca: undefined }
    } else if (cell.fault !== 'pasv-elsewhere') {
      proxy = await FaultProxy.start({
        target: server,
        fault: toProxyFault(cell),
        trigger: cell.phase === 'greeting' ? 'accept' : rig.triggers[cell.phase],
        afterLines: cell.phase === 'tls' ? 1 : 0,
      })
      target = { ...base, host: proxy.host, port: proxy.port, tls: cell.phase === 'tls' ? 'starttls' : 'none' }
    }
    const settled = await settleWithin(rig.session(target), 15_000)
    const mismatch = outcomeMismatch(settled, cell.expected)
    if (mismatch !== undefined) problems.push(mismatch)
    if (proxy !== undefined && proxy.faultsStruck !== 1) problems.push(`the fault struck ${proxy.faultsStruck} times, not once`)
    const open = await waitUntilZero(() => server.openSessions() + (proxy?.openSockets ?? 0))
    if (open > 0) problems.push(`${open} sockets still open after the session ended`)
  } finally {
    for (const client of clients) client.destroy()
    await proxy?.close()
    await server.close()
  }
  problems.push(...(await leaks.finish()).leaks)
  return problems
}

function toProxyFault(cell: TestedFaultCell): ProxyFault {
  switch (cell.fault) {
    case 'reset':
    case 'eof':
    case 'stall':
    case 'garbage':
    case 'oversized':
    case 'drip':
      return cell.fault
    case 'starttls-injection':
      return 'inject'
    default:
      throw new Error(`${cell.phase} › ${cell.fault}: no proxy fault for it`)
  }
}
