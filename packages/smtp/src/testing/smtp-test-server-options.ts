import type { ServerFaults, TestCertificates } from '@netc/transport/testing'

/** A scripted reply: the whole line, code first: `'550 5.1.1 no such user'`. `undefined` means "do the normal thing". */
export type FakeReply = string | undefined

/** CapturedEnvelope: the envelope of a transaction as the fake received it. */
export interface CapturedEnvelope {
  /** The reverse-path, without `<>` (`''` for the null path). */
  from: string
  /** The accepted recipients, in order. */
  to: string[]
  /** The parameters after `MAIL FROM:<...>`, as sent (`['SIZE=120', 'BODY=8BITMIME']`). */
  mailParameters: string[]
  /** The parameters after each accepted `RCPT TO:<...>`. */
  rcptParameters: string[][]
}

/** CapturedMessage: one transaction the fake took: envelope, message bytes (unstuffed, or the BDAT chunks joined), how it came. */
export interface CapturedMessage {
  envelope: CapturedEnvelope
  message: Buffer
  transfer: 'DATA' | 'BDAT'
  /** The session's number on the server, from 1. */
  session: number
  /** The transaction went over TLS. */
  secure: boolean
  /** The user that authenticated, if any. */
  user: string | undefined
}

/** Scripted refusals: each returns a reply line to refuse, or undefined to accept. */
export interface SmtpTestRejections {
  /** EHLO/LHLO answered `502` (so clients fall back to HELO). */
  ehlo?: boolean
  mail?: (from: string) => FakeReply
  recipients?: (address: string) => FakeReply
  /** Refuses the message after the data (SMTP). */
  data?: (message: Buffer, envelope: CapturedEnvelope) => FakeReply
  /** LMTP: the reply for one recipient after the data. */
  lmtp?: (recipient: string, message: Buffer) => FakeReply
  /** STARTTLS answered with this (e.g. `'454 4.7.0 TLS not available'`). */
  startTls?: FakeReply
}

/** FaultContext: where a command or message stands in its session, for faults that strike the Nth of something. */
export interface FaultContext {
  /** The session's number on the server, from 1. */
  session: number
  /** How many times this verb (for `hangUpOn`) or a message (for `dropOnMessage`) came in this session, this one included, from 1. */
  nth: number
}

/**
 * MessageDrop: how the fake breaks the connection around a message's final reply (the `250` after the
 * data or `BDAT LAST`). `'after-reply'`: takes it, replies, hangs up. `'before-reply'`: takes it and hangs
 * up before replying (the client cannot know it arrived). `'unqueued'`: hangs up without taking it.
 */
export type MessageDrop = 'after-reply' | 'before-reply' | 'unqueued'

/** Faults beyond the socket-level ones of `ServerFaults`. */
export interface SmtpTestFaults extends ServerFaults {
  /** Plaintext sent right after the `220` go-ahead of STARTTLS, before the handshake (the CVE-2011-0411 injection test). */
  injectAfterStartTls?: string
  /**
   * Called for each command line: a reply line sends it and closes the connection (e.g. `'421 4.3.2 shutting
   * down'`). `context.nth` counts the verb per session: `(command, { nth }) => command.startsWith('MAIL') && nth % 4 === 0 ? '421 ...' : undefined`.
   */
  hangUpOn?: (command: string, context: FaultContext) => FakeReply
  /** Called once a message is complete, before the fake judges it: a `MessageDrop` breaks the connection around its reply. */
  dropOnMessage?: (envelope: CapturedEnvelope, context: FaultContext) => MessageDrop | undefined
  /**
   * Milliseconds a session may wait for a command: then `421 4.4.2 <domain> Error: timeout exceeded` and
   * the connection closes, as postfix does after `smtpd_timeout`.
   */
  idleTimeout?: number
}

/** Options of `SmtpTestServer.start`. Everything is on by default except `tls`, `auth`, `lmtp` and `size`. */
export interface SmtpTestServerOptions {
  /** `'implicit'`: TLS from the first byte (smtps). Default `'none'`. */
  tls?: 'none' | 'implicit'
  /** Offer STARTTLS (default true unless `tls: 'implicit'`). */
  starttls?: boolean
  /** Users and mechanisms for AUTH (PLAIN and LOGIN by default). `requireTls`: offer AUTH only over TLS (postfix's smtpd_tls_auth_only). */
  auth?: { users: Record<string, string>; mechanisms?: ReadonlyArray<'PLAIN' | 'LOGIN'>; requireTls?: boolean; required?: boolean }
  pipelining?: boolean
  chunking?: boolean
  eightBitMime?: boolean
  smtpUtf8?: boolean
  dsn?: boolean
  enhancedStatusCodes?: boolean
  /** Advertise SIZE with this limit and enforce it (default 10240000, postfix's); `false`: no SIZE. */
  size?: number | false
  /** Speak LMTP: LHLO, and one reply per recipient after the data. */
  lmtp?: boolean
  /** The server's domain in its greeting and EHLO. Default `'fake.test'`. */
  domain?: string
  /** Refuse messages with a bare CR or LF (as postfix does). Default true. */
  strictLineEndings?: boolean
  reject?: SmtpTestRejections
  faults?: SmtpTestFaults
  certificates?: TestCertificates
  /** The longest line (DATA lines included) the fake reads. Default 4 MiB. */
  maxLineLength?: number
}
