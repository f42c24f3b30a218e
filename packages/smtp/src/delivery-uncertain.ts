const uncertain = new WeakSet<object>()

/**
 * markDeliveryUncertain: records that an error struck after the message began to go out, when the server
 * may have taken it. A pool must not send such a message again (it could arrive twice).
 */
export function markDeliveryUncertain(error: unknown): void {
  if (typeof error === 'object' && error !== null) uncertain.add(error)
}

/**
 * isDeliveryUncertain: true when `error` struck after the message began to go out (see
 * `markDeliveryUncertain`). Errors before that point (a connection the server had closed while idle, a
 * timeout on the envelope) leave the message undelivered, to be sent again elsewhere.
 */
export function isDeliveryUncertain(error: unknown): boolean {
  return typeof error === 'object' && error !== null && uncertain.has(error)
}
