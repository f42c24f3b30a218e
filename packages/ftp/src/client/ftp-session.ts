import type { Connection } from '@netc/transport'
import type { Features } from '../parsers/parse-feat.ts'
import type { ResolvedFtpOptions } from './ftp-client-options.ts'

/** What the client knows about its connection beyond the Connection: features, modes, addresses. */
export interface FtpSession {
  readonly connection: Connection
  readonly options: ResolvedFtpOptions
  /** FEAT's answer (empty when the server has no FEAT). */
  features: Features
  /** The passive command that works here; `PASV` once EPSV was refused. */
  passiveCommand: 'EPSV' | 'PASV'
  /** EPSV and a data connection to its port have worked here: EPSV and a transfer command may be pipelined. */
  epsvWorks?: boolean
  /** The active command that works here; `PORT` once EPRT was refused. */
  activeCommand: 'EPRT' | 'PORT'
  /** The representation type in force (RFC 959 section 3.1.1). */
  type: 'A' | 'I' | undefined
  /** The server's address as the control socket saw it (data connections go there), when known. */
  remoteAddress: string | undefined
  /** The control socket's local address (what active mode announces), when known. */
  localAddress: string | undefined
  /** PROT P is in force: data connections run TLS. */
  protectData: boolean
  /** The control connection's TLS can be removed (AUTH TLS over a carrier: the `ccc` option). */
  unwrappableTls?: boolean
  /** After CCC: the control connection's TLS session, captured before its shutdown, that data connections resume. */
  clearedTlsSession?: Buffer | undefined
  /** How many transfers the server began (a 1xx to RETR, STOR, LIST, ...): a failure with the count unchanged moved no byte. */
  transfersStarted?: number
}

/** hasFeature: true when FEAT listed `name` (e.g. `MLST`, `UTF8`, `HOST`). */
export function hasFeature(session: FtpSession, name: string): boolean {
  return session.features.has(name.toUpperCase())
}
