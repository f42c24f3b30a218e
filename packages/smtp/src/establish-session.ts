import { Command, Connection, ReplyError, TlsError, type CodedReply } from '@netc/transport'
import { authenticate } from './authenticate.ts'
import { explainGreetingFailure, explainImplicitTlsFailure } from './explain-mode-mismatch.ts'
import { hello } from './hello.ts'
import type { SmtpCapabilities } from './parse-capabilities.ts'
import type { ResolvedSmtpOptions } from './smtp-client-options.ts'
import { SmtpReplyError } from './smtp-reply-error.ts'
import { startTls } from './start-tls.ts'

/** EstablishedSession: an open, greeted, secured and (when asked) authenticated session. */
export interface EstablishedSession {
  connection: Connection
  greeting: CodedReply
  capabilities: SmtpCapabilities
  /** The SASL mechanism that logged in, or undefined without `auth`. */
  mechanism: string | undefined
}

/**
 * establishSession: connect (implicit TLS for `smtps://`), read the 220 greeting, EHLO (HELO as a
 * fallback), STARTTLS as the TLS mode asks and EHLO again (RFC 3207 section 4.2), then AUTH. A port/mode
 * mismatch is explained, not left as a bare timeout. On any failure the connection is dropped.
 */
export async function establishSession(options: ResolvedSmtpOptions): Promise<EstablishedSession> {
  const { host, port, tlsMode, signal } = options
  const implicitTls = tlsMode === 'implicit'
  let connection: Connection
  try {
    connection = await Connection.open({
      host,
      port,
      protocol: options.lmtp === true ? 'lmtp' : 'smtp',
      implicitTls,
      tls: options.tlsSettings,
      connect: options.connect,
      proxy: options.proxy,
      keepAlive: options.keepAlive ? { interval: options.keepAlive, command: Command.of('NOOP') } : undefined,
      timeouts: options.timeouts,
      limits: options.limits,
      debug: options.debug,
      signal,
      family: options.family,
      createReplyError: (reply) => new SmtpReplyError(reply),
    })
  } catch (error) {
    throw implicitTls ? explainImplicitTlsFailure(error, host, port) : error
  }
  try {
    return await greetAndSecure(connection, options)
  } catch (error) {
    connection.destroy(error instanceof Error ? error : undefined)
    throw error
  }
}

async function greetAndSecure(connection: Connection, options: ResolvedSmtpOptions): Promise<EstablishedSession> {
  const { host, port, tlsMode, signal } = options
  let greeting: CodedReply
  try {
    greeting = await connection.readGreeting({ expect: 220, signal })
  } catch (error) {
    throw tlsMode === 'implicit' ? error : explainGreetingFailure(error, host, port)
  }
  const lmtp = options.lmtp === true
  let capabilities = await hello(connection, options.name, lmtp, signal)
  const wantsTls = tlsMode === 'required' || (tlsMode === 'opportunistic' && capabilities.startTls)
  if (tlsMode === 'required' && !capabilities.startTls) {
    throw new TlsError(`${host}:${port} does not offer STARTTLS, and tls is 'required'`)
  }
  if (wantsTls) {
    try {
      await startTls(connection, options.tlsSettings, signal)
      capabilities = await hello(connection, options.name, lmtp, signal)
    } catch (error) {
      // Opportunistic: a server that refuses STARTTLS with a reply (454) is used in plaintext. A failed
      // handshake is no reply: the connection is broken and the error stands.
      if (tlsMode !== 'opportunistic' || !ReplyError.isInstance(error)) throw error
    }
  }
  let mechanism: string | undefined
  if (options.auth !== undefined) {
    mechanism = await authenticate(connection, options.auth, {
      offered: capabilities.auth,
      secure: connection.secure,
      allowInsecureAuth: options.allowInsecureAuth === true,
      signal,
    })
  }
  return { connection, greeting, capabilities, mechanism }
}
