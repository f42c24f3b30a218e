import type { BodySource, CodedReply } from '@netc/transport'
import type { SmtpReplyError } from './smtp-reply-error.ts'

/**
 * MessageSource: a message as bytes, a string (UTF-8), a `Readable` or any (async) iterable of chunks.
 * Streams go out in constant memory; line endings become CRLF on the way.
 */
export type MessageSource = BodySource

/** RejectedRecipient: a recipient the server refused, with its reply as an error (`replyCode`, `enhancedStatus`). */
export interface RejectedRecipient {
  recipient: string
  error: SmtpReplyError
}

/**
 * SendResult: what became of each recipient, as Python's `sendmail` reports refused recipients.
 *
 * ```ts
 * { accepted: ['b@example.com'], rejected: [{ recipient: 'nobody@example.com', error: SmtpReplyError 550 5.1.1 }],
 *   response: { code: 250, lines: ['2.0.0 Ok: queued as 4XYZ'] } }
 * ```
 */
export interface SendResult {
  /** The recipients that took the message (in LMTP: whose delivery succeeded). */
  accepted: string[]
  /** The recipients refused at RCPT (or, in LMTP, after the data). */
  rejected: RejectedRecipient[]
  /** The server's reply to the message (in LMTP: the first successful delivery's). */
  response: CodedReply
}

/** SendOptions: how `send` transfers the message. */
export interface SendOptions {
  signal?: AbortSignal
  /** `auto` (default): BDAT when the server offers CHUNKING, DATA otherwise. */
  transfer?: 'auto' | 'data' | 'bdat'
  /** The size of BDAT chunks for streamed messages, in bytes (default 256 KiB). */
  chunkSize?: number
}
