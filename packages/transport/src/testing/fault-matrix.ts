import { setTimeout as sleep } from 'node:timers/promises'
import { NetcError, TimeoutError } from '../errors/index.ts'

/** The phases of a session, in order, that the fault matrix strikes (docs/RELIABILITY.md). */
export const faultPhases = ['connect', 'greeting', 'tls', 'auth', 'command', 'data', 'quit'] as const
export type FaultPhase = (typeof faultPhases)[number]

/** The faults of the matrix, in column order. */
export const faultKinds = [
  'refused',
  'reset',
  'eof',
  'stall',
  'garbage',
  'oversized',
  'drip',
  'tls-failure',
  'starttls-injection',
  'pasv-elsewhere',
] as const
export type FaultKind = (typeof faultKinds)[number]

/** What a cell must end in: the operation completes (with its result checked), or a typed error. */
export type ExpectedOutcome = { completes: true } | { error: string; code: string; phase?: TimeoutError['phase'] }

/**
 * faultOutcomes: the outcomes every protocol's matrix names, so that each table reads as data:
 * `'greeting:stall': faultOutcomes.timeout('greeting')`, `'tls:garbage': faultOutcomes.tls`.
 */
export const faultOutcomes = {
  /** A `ConnectionError` (refused, reset, EOF). */
  connection: { error: 'ConnectionError', code: 'ERR_NETC_CONNECTION' },
  /** A `ProtocolError` (garbage, an oversized line, STARTTLS injection). */
  protocol: { error: 'ProtocolError', code: 'ERR_NETC_PROTOCOL' },
  /** A `TlsError` (an untrusted certificate, a broken handshake). */
  tls: { error: 'TlsError', code: 'ERR_NETC_TLS' },
  /** The whole session succeeds, every result checked. */
  completes: { completes: true },
  /** A `TimeoutError` of that phase (a stall). */
  timeout: (phase: 'connect' | 'greeting' | 'reply' | 'data'): ExpectedOutcome => ({ error: 'TimeoutError', code: 'ERR_NETC_TIMEOUT', phase }),
} as const satisfies Record<string, ExpectedOutcome | ((phase: 'connect' | 'greeting' | 'reply' | 'data') => ExpectedOutcome)>

/** FaultCell: one (phase, fault) of a protocol: an expected outcome, or n/a with the reason. */
export type FaultCell =
  | { phase: FaultPhase; fault: FaultKind; expected: ExpectedOutcome }
  | { phase: FaultPhase; fault: FaultKind; notApplicable: string }

/** An applicable cell (one with a test). */
export type TestedFaultCell = Extract<FaultCell, { expected: ExpectedOutcome }>

/** describeOutcome: `TimeoutError(greeting)`, `ProtocolError`, `completes`. */
export function describeOutcome(expected: ExpectedOutcome): string {
  if ('completes' in expected) return 'completes'
  return expected.phase === undefined ? expected.error : `${expected.error}(${expected.phase})`
}

/** faultCellName: the test name of a cell, e.g. `ftp › greeting › stall → TimeoutError(greeting)`. */
export function faultCellName(protocol: string, cell: TestedFaultCell): string {
  return `${protocol} › ${cell.phase} › ${cell.fault} → ${describeOutcome(cell.expected)}`
}

/** isTested: the cell has a test (it is not n/a). */
export function isTested(cell: FaultCell): cell is TestedFaultCell {
  return 'expected' in cell
}

/** Settled: how a promise ended within a bound. */
export type Settled = { status: 'fulfilled'; value: unknown } | { status: 'rejected'; reason: unknown } | { status: 'pending' }

/** settleWithin: how `promise` ended, or `pending` if it had not after `ms` (a hang). */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<Settled> {
  const controller = new AbortController()
  const timer = sleep(ms, { status: 'pending' } as const, { signal: controller.signal }).catch(() => ({ status: 'pending' }) as const)
  const settled = promise.then(
    (value): Settled => ({ status: 'fulfilled', value }),
    (reason: unknown): Settled => ({ status: 'rejected', reason }),
  )
  const result = await Promise.race([settled, timer])
  controller.abort()
  return result
}

/** outcomeMismatch: undefined when `settled` is what `expected` says, else why not (for `expect(...).toBeUndefined()`). */
export function outcomeMismatch(settled: Settled, expected: ExpectedOutcome): string | undefined {
  if (settled.status === 'pending') return 'still pending: the operation hung'
  if ('completes' in expected) {
    return settled.status === 'fulfilled' ? undefined : `expected completion, got ${describeError(settled.reason)}`
  }
  if (settled.status === 'fulfilled') return `expected ${describeOutcome(expected)}, but it completed`
  const error = settled.reason
  if (!NetcError.isInstance(error)) return `expected ${describeOutcome(expected)}, got a foreign error: ${describeError(error)}`
  const phase = TimeoutError.isInstance(error) ? error.phase : undefined
  if (error.name !== expected.error || error.code !== expected.code || phase !== expected.phase) {
    return `expected ${describeOutcome(expected)} ${expected.code}, got ${describeError(error)}`
  }
  return undefined
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  const phase = TimeoutError.isInstance(error) ? `(${error.phase})` : ''
  return `${error.name}${phase} ${typeof code === 'string' ? code : ''}: ${error.message}`
}

/**
 * waitUntilZero: polls `count` until it is 0 (open sessions of a fake server, sockets of a proxy), at most
 * `maxWaitMs`; returns the last count.
 */
export async function waitUntilZero(count: () => number, maxWaitMs = 2000): Promise<number> {
  const deadline = Date.now() + maxWaitMs
  let last = count()
  while (last > 0 && Date.now() < deadline) {
    await sleep(10)
    last = count()
  }
  return last
}

/** A cell's key in `buildFaultMatrix`: `'greeting:stall'`. */
export type FaultCellKey = `${FaultPhase}:${FaultKind}`

/** Why a cell has no test when the protocol's table says nothing about it. */
function defaultNotApplicable(phase: FaultPhase, fault: FaultKind, ftp: boolean): string {
  if (fault === 'refused') return 'a connection is refused only when it is opened'
  if (fault === 'pasv-elsewhere') return ftp ? 'PASV is sent only for a transfer' : 'FTP only'
  if (fault === 'starttls-injection') return 'injection is plaintext glued to the STARTTLS go-ahead: it exists only in that phase'
  if (fault === 'tls-failure') return 'certificates are checked only in a handshake (connect: implicit TLS; tls: STARTTLS)'
  if (phase === 'connect' && (fault === 'reset' || fault === 'eof')) {
    return 'on loopback the kernel completes the TCP handshake before a server acts: a reset or EOF right after accept is the greeting row'
  }
  if (phase === 'connect') return 'no byte is read before the greeting'
  if (phase === 'tls' && fault === 'oversized') return 'a TLS handshake has no lines; the garbage row covers bytes that are not TLS'
  return 'not covered'
}

/**
 * buildFaultMatrix: every (phase, fault) cell in order, from a protocol's table of outcomes; a cell the
 * table leaves out, or gives a string, is n/a (with the default reason, or that string).
 *
 * ```ts
 * buildFaultMatrix('pop3', { 'greeting:stall': { error: 'TimeoutError', code: 'ERR_NETC_TIMEOUT', phase: 'greeting' } })
 * ```
 */
export function buildFaultMatrix(protocol: string, table: Partial<Record<FaultCellKey, ExpectedOutcome | string>>): FaultCell[] {
  const cells: FaultCell[] = []
  for (const phase of faultPhases) {
    for (const fault of faultKinds) {
      const entry = table[`${phase}:${fault}`]
      if (entry === undefined) cells.push({ phase, fault, notApplicable: defaultNotApplicable(phase, fault, protocol === 'ftp') })
      else if (typeof entry === 'string') cells.push({ phase, fault, notApplicable: entry })
      else cells.push({ phase, fault, expected: entry })
    }
  }
  return cells
}
