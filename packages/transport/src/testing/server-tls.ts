import type { Duplex } from 'node:stream'
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls'
import { ClosedError, TlsError } from '../errors/index.ts'
import type { TestCertificates } from './test-certificates.ts'

/**
 * wrapServerTls: the server side of a TLS handshake over an accepted TCP socket (implicit TLS, or
 * STARTTLS per RFC 3207 section 4), as a real server does it: `new TLSSocket(socket, { isServer })`
 * (or over a `TlsCarrier`, to be removed again by CCC).
 * The caller must have read out the socket's plaintext first. Internal to ./testing.
 */
export function wrapServerTls(raw: Duplex, secureContext: SecureContext): TLSSocket {
  return new TLSSocket(raw, { isServer: true, secureContext })
}

const contexts = new Map<string, SecureContext>()

/**
 * secureContextFor: one SecureContext per certificate pair, shared by every session of a process, so that a
 * TLS session made on one connection can be resumed on another (an FTP fake's data connections, RFC 4217
 * section 10.2, as vsftpd's require_ssl_reuse demands). Internal to ./testing.
 */
export function secureContextFor(certificates: Pick<TestCertificates, 'cert' | 'key'>): SecureContext {
  const key = certificates.cert + certificates.key
  let context = contexts.get(key)
  if (context === undefined) {
    context = createSecureContext({ cert: certificates.cert, key: certificates.key })
    contexts.set(key, context)
  }
  return context
}

/** awaitHandshake: resolves on 'secure'; rejects with TlsError when the handshake fails or the peer leaves. */
export function awaitHandshake(secure: TLSSocket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error): void => {
      secure.off('secure', onSecure).off('error', settle).off('close', onClose)
      if (error === undefined) resolve()
      else reject(new TlsError(`TLS handshake failed: ${error.message}`, { cause: error }))
    }
    const onSecure = (): void => settle()
    const onClose = (): void => settle(new ClosedError('the connection closed during the TLS handshake'))
    secure.once('secure', onSecure).once('error', settle).once('close', onClose)
  })
}
