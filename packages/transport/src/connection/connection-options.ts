import type { DebugOption } from '../diagnostics/diagnostics.ts'
import type { ReplyError, ReplyErrorOptions } from '../errors/index.ts'
import type { Limits } from '../limits.ts'
import type { ProxyOption } from '../proxy/resolve-connector.ts'
import type { ConnectFunction } from './connect-socket.ts'
import type { Expectation } from './expectation.ts'
import type { KeepAliveOptions } from './keep-alive.ts'
import type { TlsSettings } from './start-tls.ts'
import type { Timeouts } from './timeouts.ts'

/** How to open a Connection. Protocol clients fill most of it from their own options. */
export interface ConnectionOptions {
  host: string
  port: number
  /** The protocol's name for diagnostics channels and messages: `ftp`, `smtp`, `pop3`, `nntp`. */
  protocol: string
  /** TLS from the first byte (RFC 8314): ftps, smtps, pop3s, nntps. */
  implicitTls?: boolean
  /** TLS options, for implicit TLS and for later upgrades. */
  tls?: TlsSettings
  /** The seam that opens the byte stream (default: TCP with TCP_NODELAY); a `proxy` is reached through it. */
  connect?: ConnectFunction
  /**
   * A proxy URL (`socks5h://user:pass@gw:1080`, `http://gw:3128`) or settings; `false`: never. Absent:
   * the environment's (`NETC_<PROTOCOL>_PROXY`, `NETC_PROXY`, `ALL_PROXY`, minus `NO_PROXY` and loopback),
   * unless a `connect` seam is given. See `resolveConnector`.
   */
  proxy?: ProxyOption | undefined
  /** A command sent after each idle `interval` (NOOP); its failure or timeout closes the connection. */
  keepAlive?: KeepAliveOptions | undefined
  timeouts?: Partial<Timeouts>
  limits?: Partial<Limits>
  /** How command lines are encoded and replies decoded (default `utf8`; some FTP servers want `latin1`). */
  encoding?: BufferEncoding
  /** `true` writes a `C:`/`S:` transcript to stderr; a function receives each line. Secrets are masked. */
  debug?: DebugOption
  /** Aborts opening. */
  signal?: AbortSignal
  /** Makes the protocol's ReplyError subclass (`SmtpReplyError`, ...). */
  createReplyError?: (options: ReplyErrorOptions) => ReplyError
  /** Address family: 4 or 6 to force one. */
  family?: 0 | 4 | 6
  /** The local address to connect from (a feeding peer's address, a multi-homed host). */
  localAddress?: string
}

/** Options of one operation: its signal. */
export interface RunOptions {
  signal?: AbortSignal | undefined
}

/** Options of `execute`: what the command accepts (default: any 2xx), and the reply's sensitivity. */
export interface ExecuteOptions extends RunOptions {
  expect?: Expectation
  sensitive?: boolean
}
