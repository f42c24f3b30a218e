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
