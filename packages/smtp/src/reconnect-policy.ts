import { AbortError, ClosedError, ConnectionError, InvalidArgumentError, ReplyError, TimeoutError } from '@netc/transport'
import type { BackoffOptions } from './backoff.ts'
import { isDeliveryUncertain } from './delivery-uncertain.ts'
import { SmtpRecipientsRejectedError } from './recipients-rejected-error.ts'

/**
 * SmtpReconnectOptions: how an `SmtpPool` opens connections again after the server went away (a restart,
 * a reset, a refused connection): failed connections in a row are spaced by a jittered exponential
 * backoff (`backoffDelay`) and bounded in number.
 */
export interface SmtpReconnectOptions {
  /**
   * Connections in a row that may fail before the pool gives up and fails the messages waiting for one
   * (default 6: with the default delays, an outage of about 1.5 to 3 s is waited out).
   */
  maxAttempts?: number
  /** The wait after the first failed connection, in milliseconds (default 100); it doubles after each. */
  baseDelay?: number
  /** The longest wait between two connections, in milliseconds (default 5,000). */
  maxDelay?: number
  /**
   * Send again a message whose connection died after its data went out and before the server's final
   * reply (`isDeliveryUncertain`). Default false: the server may have taken it, and it would arrive twice.
   * Turn it on only where a duplicate is harmless (receivers that drop repeated Message-IDs).
   */
  resendUncertain?: boolean
}

/**
 * SmtpTransientRetryOptions: how an `SmtpPool` retries a message refused with a 4xx reply other than 421
 * (RFC 5321 section 4.2.1: "transient negative completion": `451 4.3.0 try again later`, `452 4.3.1
 * insufficient storage`, or every recipient refused with 4xx): later, after a backoff, on any connection.
 */
export interface SmtpTransientRetryOptions extends Partial<BackoffOptions> {
  /** Tries of the message in all, the first one included (default 3; 1: no retry). */
  maxAttempts?: number
}

/** ResolvedReconnectPolicy: the pool's retry rules with every default filled in. */
export interface ResolvedReconnectPolicy {
  reconnect: Required<Omit<SmtpReconnectOptions, 'resendUncertain'>>
  resendUncertain: boolean
  transient: Required<SmtpTransientRetryOptions>
}

/** resolveReconnectPolicy: defaults, and an InvalidArgumentError for a count or delay out of range. */
export function resolveReconnectPolicy(reconnect: SmtpReconnectOptions = {}, transient: SmtpTransientRetryOptions = {}): ResolvedReconnectPolicy {
  const policy: ResolvedReconnectPolicy = {
    reconnect: { maxAttempts: reconnect.maxAttempts ?? 6, baseDelay: reconnect.baseDelay ?? 100, maxDelay: reconnect.maxDelay ?? 5000 },
    resendUncertain: reconnect.resendUncertain === true,
    transient: { maxAttempts: transient.maxAttempts ?? 3, baseDelay: transient.baseDelay ?? 1000, maxDelay: transient.maxDelay ?? 30_000 },
  }
  for (const [name, rule] of Object.entries({ reconnect: policy.reconnect, retryTransient: policy.transient })) {
    if (!Number.isInteger(rule.maxAttempts) || rule.maxAttempts < 1) throw new InvalidArgumentError(`${name}.maxAttempts: ${String(rule.maxAttempts)} (a positive integer)`)
    for (const key of ['baseDelay', 'maxDelay'] as const) {
      if (!Number.isFinite(rule[key]) || rule[key] < 0) throw new InvalidArgumentError(`${name}.${key}: ${String(rule[key])} (milliseconds, 0 or more)`)
    }
  }
  return policy
}

/**
 * SendFailure: what a pool does with a message whose try failed. `resend`: it never reached the server's
 * final reply through no fault of its own (a connection found dead, `421`, a timeout before the data):
 * send it again on a new connection. `transient`: a 4xx refusal: again later. `fail`: report it.
 */
export type SendFailure = 'resend' | 'transient' | 'fail'

/**
 * classifySendFailure: the pool's reading of an error from `SmtpClient.send`. A message whose data went
 * out before the connection died (`isDeliveryUncertain`) is `fail` unless `resendUncertain`; a 5xx is `fail`.
 *
 * ```
 * C: MAIL FROM:<a@example.com>     S: 421 4.4.2 mail.example.com Error: timeout exceeded   → resend
 * C: RCPT TO:<b@example.com>       S: 451 4.3.0 try again later                            → transient
 * C: <message> .                   (EOF: the final reply never came)                       → fail (uncertain)
 * ```
 */
export function classifySendFailure(error: unknown, policy: ResolvedReconnectPolicy): SendFailure {
  if (AbortError.isInstance(error)) return 'fail'
  if (isDeliveryUncertain(error)) return policy.resendUncertain ? 'resend' : 'fail'
  if (ReplyError.isInstance(error)) {
    if (error.replyCode === 421) return 'resend'
    if (SmtpRecipientsRejectedError.isInstance(error)) return error.rejected.every((entry) => entry.error.isTransient) ? 'transient' : 'fail'
    return error.isTransient ? 'transient' : 'fail'
  }
  return isConnectionFailure(error) ? 'resend' : 'fail'
}

/**
 * isConnectionFailure: an error that says the connection (not the message) failed: refused, reset, closed,
 * timed out, or a `421` (RFC 5321 section 3.8: the server is closing the channel). Such a connection may
 * be opened again.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (ReplyError.isInstance(error)) return error.replyCode === 421
  return ConnectionError.isInstance(error) || ClosedError.isInstance(error) || TimeoutError.isInstance(error)
}

