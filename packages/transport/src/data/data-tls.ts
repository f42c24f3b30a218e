import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import { startTls, type TlsSettings } from '../connection/start-tls.ts'

/**
 * DataTlsOptions: TLS on an FTP data connection (RFC 4217 section 9, after `PROT P`). The client is the
 * TLS client on every data connection, passive or active. `session` resumes the control connection's TLS
 * session (`connection.tlsSession`): vsftpd with `require_ssl_reuse=YES`, ProFTPD and FileZilla Server
 * refuse data connections that do not (RFC 4217 section 10.2), TLS 1.3 included.
 */
export interface DataTlsOptions {
  /** The control connection's TLS settings (`ca`, `rejectUnauthorized`, ...). */
  settings: TlsSettings
  /** The control connection's session to resume. */
  session?: Buffer | undefined
  /** SNI name, when the certificate is for a name rather than the address. */
  servername?: string | undefined
  /** The name the certificate must match: the control host (default: the data connection's host). */
  host?: string | undefined
}

/** secureDataSocket: runs the TLS client handshake on a data socket, resuming the control session. */
export function secureDataSocket(
  socket: Duplex,
  tls: DataTlsOptions,
  options: { host: string; timeout: number; signal?: AbortSignal | undefined },
): Promise<TLSSocket> {
  const settings: TlsSettings = { ...tls.settings }
  if (tls.session !== undefined) settings.session = tls.session
  if (tls.servername !== undefined) settings.servername = tls.servername
  return startTls(socket, settings, { host: tls.host ?? options.host, timeout: options.timeout, signal: options.signal })
}
