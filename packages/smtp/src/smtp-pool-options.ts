import type { SmtpReconnectOptions, SmtpTransientRetryOptions } from './reconnect-policy.ts'
import type { SmtpClientOptions } from './smtp-client-options.ts'

/** SmtpPoolOptions: the client's options, and how many connections do how much. */
export interface SmtpPoolOptions extends SmtpClientOptions {
  /** Connections open at most (default 5). */
  maxConnections?: number
  /** Messages per connection before it says QUIT and a fresh one takes over (default 100). */
  maxMessagesPerConnection?: number
  /** An unused connection is closed after this many milliseconds (default 30,000; 0: never). */
  idleTimeout?: number
  /** Messages waiting for a connection at most; beyond that, `send` and `enqueue` wait (default 1,000). */
  maxQueue?: number
  /**
   * Tries of a message whose connection failed before the message went out (a connection found dead, a
   * `421`, a reset): default 3. A message whose data had gone out is not sent again (see `reconnect`).
   */
  maxAttempts?: number
  /**
   * A connection left unused this many milliseconds is checked with NOOP before its next message (default
   * 1,000; 0: always), so that one the server closed while idle is replaced before any of a message goes
   * out on it (a dead-connection detector: the server's 421 and hang-up may be lost in a reset).
   */
  noopAfterIdle?: number
  /** Backoff and bounds for opening connections again after failures (a server restart); see SmtpReconnectOptions. */
  reconnect?: SmtpReconnectOptions
  /** Retries of a message refused with a 4xx other than 421; see SmtpTransientRetryOptions. */
  retryTransient?: SmtpTransientRetryOptions
}
