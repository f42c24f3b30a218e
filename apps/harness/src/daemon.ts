/** A login that a daemon accepts. */
export interface DaemonUser {
  readonly user: string
  readonly pass: string
}

/** What every harness daemon gives its tests: where it listens, who may log in, whom to trust. */
export interface Daemon {
  /** Always `127.0.0.1`. */
  readonly host: string
  /** Plain port; it also offers the explicit upgrade (AUTH TLS / STARTTLS / STLS) where the daemon has one. */
  readonly port: number
  /** Implicit TLS port (ftps, smtps, pop3s, nntps), when the daemon has one. */
  readonly tlsPort?: number
  readonly users: readonly DaemonUser[]
  /** The throwaway CA (PEM) that signed the server certificate: pass it to the client as `ca`. */
  readonly ca: string
  readonly caFile: string
  /** The temp dir that holds everything this instance wrote; removed by stop(). */
  readonly directory: string
  /** URLs to paste into a client, with credentials, for `pnpm harness up`. */
  readonly urls: readonly string[]
  /** Stops every process of this instance by its recorded PID and removes its temp dir. Idempotent. */
  stop(): Promise<void>
}

/** `scheme://user:pass@host:port` with the credentials percent-encoded. */
export function daemonUrl(scheme: string, host: string, port: number, user?: DaemonUser): string {
  const credentials = user ? `${encodeURIComponent(user.user)}:${encodeURIComponent(user.pass)}@` : ''
  return `${scheme}://${credentials}${host}:${port}`
}

/** Wraps `stop` so that a second call waits for the first instead of stopping twice. */
export function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined
  return () => (stopping ??= stop())
}
