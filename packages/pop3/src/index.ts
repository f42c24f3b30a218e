/**
 * @netc/pop3: a POP3 client (RFC 1939) with CAPA (RFC 2449), STLS (RFC 2595) and POP3S (RFC 8314),
 * USER/PASS, APOP and SASL (RFC 5034), and pipelined, streaming retrieval. See README.md.
 */
export { parseStatusLine, type Pop3Status } from './parse-status-line.ts'
export { Pop3ReplyError, type Pop3ReplyErrorOptions } from './pop3-reply-error.ts'
export { emptyCapabilities, parseCapabilities, type Pop3Capabilities, type Pop3PolicyCapability } from './parse-capabilities.ts'
export {
  parseDropListing,
  parseScanListing,
  parseUniqueIdListing,
  type Pop3DropListing,
  type Pop3ScanListing,
  type Pop3UniqueIdListing,
} from './parse-listings.ts'
export { apopDigest, parseApopTimestamp } from './parse-apop-timestamp.ts'
export { Pop3Client, type Pop3ExecuteOptions, type Pop3Response, type Pop3State } from './pop3-client.ts'
export type {
  Pop3Auth,
  Pop3ClientOptions,
  Pop3LoginMechanism,
  Pop3OperationOptions,
  Pop3PasswordAuth,
  Pop3TlsMode,
  Pop3TlsOptions,
  Pop3TokenAuth,
} from './pop3-client-options.ts'
export type { Pop3Greeting } from './open-session.ts'
export type { RetrieveAllOptions, RetrievedMessage } from './retrieve-all.ts'
export { chooseLoginMethod, type Pop3LoginContext } from './pop3-login.ts'
export { pop3SaslExchange } from './pop3-sasl-exchange.ts'

// The transport's names a caller of this package needs (commands for `execute`, the error classes to test
// with `isInstance`), so that one import does.
export {
  AbortError,
  ClosedError,
  Command,
  ConnectionError,
  InvalidArgumentError,
  InvalidStateError,
  NetcError,
  ProtocolError,
  ReplyError,
  TimeoutError,
  TlsError,
  type CodedReply,
} from '@netc/transport'
