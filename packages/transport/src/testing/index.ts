/**
 * @netc/transport/testing: the base of every netc fake server. A real TCP/TLS server on 127.0.0.1, port 0
 * (`TestServer`), read pull-style per connection (`TestSession`), with throwaway certificates, socket-level
 * faults, and a transcript server in the style of Go's net/smtp tests (`startScriptedServer`).
 *
 * ```ts
 * import { startScriptedServer } from '@netc/transport/testing'
 * await using server = await startScriptedServer({ script: ['S: 220 ready', 'C: QUIT', 'S: 221 bye'] })
 * ```
 */
export {
  createTestCertificates,
  createUntrustedCertificates,
  type TestCertificateOptions,
  type TestCertificates,
} from './test-certificates.ts'
export type { ServerFaults } from './server-faults.ts'
export { TestSession, type LineEnding, type TestSessionOptions } from './test-session.ts'
export type { TranscriptEntry } from './transcript-recorder.ts'
export { TestServer, type TestServerOptions, type TestServerTls, type TestServerUrlParts } from './test-server.ts'
export {
  ScriptedServer,
  startScriptedServer,
  type ScriptedServerOptions,
  type ScriptMismatch,
  type ScriptRun,
  type ScriptStep,
} from './scripted-server.ts'
export { FaultProxy, type FaultProxyOptions, type ProxyFault } from './fault-proxy.ts'
export { LeakCheck, takeResourceSnapshot, type LeakReport, type ResourceSnapshot } from './leak-check.ts'
export {
  buildFaultMatrix,
  describeOutcome,
  faultCellName,
  faultKinds,
  faultOutcomes,
  faultPhases,
  isTested,
  outcomeMismatch,
  settleWithin,
  waitUntilZero,
  type ExpectedOutcome,
  type FaultCellKey,
  type FaultCell,
  type FaultKind,
  type FaultPhase,
  type Settled,
  type TestedFaultCell,
} from './fault-matrix.ts'
export { renderFaultMatrix, replaceMatrixSection, syncMatrixDocument } from './render-fault-matrix.ts'
export { closedPort, lateConnect } from './connect-faults.ts'
export { tapConnection, type ConnectionTap } from './tap-connection.ts'
export { runFaultCell, type FaultRig, type FaultRigServer, type FaultTarget } from './run-fault-cell.ts'
export type { FakeProxyFaults, FakeProxyOptions, ProxyRequest } from './fake-proxy-base.ts'
export { FakeSocksProxy, type FakeSocksProxyOptions } from './fake-socks-proxy.ts'
export { FakeHttpProxy, type FakeHttpProxyOptions } from './fake-http-proxy.ts'
export { formatLoadLine, LoadMeter, type LoadFigures } from './load-meter.ts'
export { LoadBarrier, LoadGate } from './load-gate.ts'
