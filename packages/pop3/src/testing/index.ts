/**
 * @netc/pop3/testing: an in-process fake POP3 server for tests: `Pop3TestServer` (maildrops in memory,
 * CAPA, PIPELINING, STLS, POP3S, USER/PASS, APOP, SASL, faults), built on @netc/transport/testing.
 */
export { Pop3TestServer } from './pop3-test-server.ts'
export type { Pop3TestServerOptions } from './pop3-test-server-options.ts'
export type { Pop3TestMailbox, Pop3TestMessage } from './maildrop.ts'
export { encodeMultiLine, topOf, wireMessage } from './encode-message.ts'
