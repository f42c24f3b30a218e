import { ConnectionError, ProtocolError, TimeoutError, TlsError } from '@netc/transport'

// OpenSSL's words when the bytes it got are not a TLS record: a plaintext `220 ...` greeting.
const PLAINTEXT_ANSWER = /wrong version number|packet length too long|unknown protocol|record layer failure|http request|unexpected eof|socket disconnected/i

/**
 * explainImplicitTlsFailure: a failed implicit-TLS handshake, explained when the server most likely
 * answered in plaintext (an SMTP server on a STARTTLS port greets with `220 ...` at once, which OpenSSL
 * reads as a TLS record with a "wrong version number"): nodemailer's most reported confusion.
 *
 * ```
 * TlsError: TLS handshake with mail.example.com:587 failed: the server answered in plaintext: is this a
 * STARTTLS port? use tls: 'required' (or smtp://)
 * ```
 * Other errors are returned as they are.
 */
export function explainImplicitTlsFailure(error: unknown, host: string, port: number): unknown {
  if (!TlsError.isInstance(error)) return error
  const code = (error.cause as { code?: unknown } | undefined)?.code
  if (!PLAINTEXT_ANSWER.test(`${String(code)} ${error.message}`)) return error
  return new TlsError(
    `TLS handshake with ${host}:${port} failed: the server answered in plaintext: is this a STARTTLS port? use tls: 'required' (or smtp://)`,
    { cause: error },
  )
}

/**
 * explainGreetingFailure: a plaintext client on an implicit-TLS port waits for a greeting that never comes
 * (the server waits for a TLS ClientHello) or gets bytes that are no reply. The timeout, the malformed
 * greeting or the early close is explained: "is this an implicit TLS port (465)? use smtps://".
 * Other errors are returned as they are.
 */
export function explainGreetingFailure(error: unknown, host: string, port: number): unknown {
  const hint = `is this an implicit TLS port (465)? use smtps:// (tls: 'implicit')`
  if (TimeoutError.isInstance(error) && error.phase === 'greeting') {
    return new TimeoutError(`no greeting from ${host}:${port} within ${error.timeout} ms: ${hint}`, {
      phase: 'greeting',
      timeout: error.timeout,
      cause: error,
    })
  }
  if (ProtocolError.isInstance(error)) {
    return new ProtocolError(`the greeting of ${host}:${port} is not an SMTP reply (${error.message}): ${hint}`, { cause: error })
  }
  if (ConnectionError.isInstance(error)) {
    return new ConnectionError(`${host}:${port} closed the connection before its greeting: ${hint}`, { cause: error })
  }
  return error
}
