/**
 * @netc/smtp: an SMTP and LMTP client: STARTTLS and implicit TLS, SASL AUTH, PIPELINING, CHUNKING (BDAT),
 * 8BITMIME, SMTPUTF8, DSN, per-recipient results. See README.md.
 */
export { SmtpClient } from './smtp-client.ts'
export { composeMail, type ComposedMail, type Mail, type MailAddress, type MailAttachment } from './compose-mail.ts'
export {
  defaultHeloName,
  resolveSmtpOptions,
  type ResolvedSmtpOptions,
  type SmtpAuth,
  type SmtpClientOptions,
  type SmtpTlsMode,
  type SmtpTlsOptions,
} from './smtp-client-options.ts'
export type { SmtpState } from './smtp-state.ts'
export type { DsnNotify, DsnOptions, SmtpEnvelope } from './envelope.ts'
export type { MessageSource, RejectedRecipient, SendOptions, SendResult } from './send-result.ts'
export { SmtpReplyError } from './smtp-reply-error.ts'
export { SmtpRecipientsRejectedError } from './recipients-rejected-error.ts'
export { parseCapabilities, type SmtpCapabilities } from './parse-capabilities.ts'
export { parseEnhancedStatus, type EnhancedStatus } from './parse-enhanced-status.ts'
export { prepareAddress, needsSmtpUtf8, type PrepareAddressOptions } from './prepare-address.ts'
export { mailParameters, rcptParameters, type MessageFacts } from './mail-parameters.ts'
export { encodeXtext, decodeXtext } from './encode-xtext.ts'
export { CrlfNormalizer } from './crlf-normalizer.ts'
export { SmtpPool, type SmtpPoolOptions } from './smtp-pool.ts'
export type { SmtpReconnectOptions, SmtpTransientRetryOptions } from './reconnect-policy.ts'
export { isDeliveryUncertain } from './delivery-uncertain.ts'
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
