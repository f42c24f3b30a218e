/**
 * @netc/smtp/testing: an in-process SMTP/LMTP server for tests (`SmtpTestServer`): captures envelopes and
 * messages, PIPELINING, CHUNKING, STARTTLS, AUTH, scripted refusals and faults.
 */
export { SmtpTestServer } from './smtp-test-server.ts'
export type {
  CapturedEnvelope,
  CapturedMessage,
  FakeReply,
  FaultContext,
  MessageDrop,
  SmtpTestFaults,
  SmtpTestRejections,
  SmtpTestServerOptions,
} from './smtp-test-server-options.ts'
