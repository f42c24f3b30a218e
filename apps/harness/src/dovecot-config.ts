/** Options for {@link dovecotConfig}. */
export interface DovecotConfigOptions {
  /** The instance's temp dir: run, state and log files go below it. */
  readonly directory: string
  /** The passwd-file with `user:{PLAIN.b64}...:uid:gid::home` lines. */
  readonly usersFile: string
  readonly uid: number
  readonly certFile: string
  readonly keyFile: string
  /** SASL mechanisms, e.g. `plain login cram-md5`. */
  readonly mechanisms: string
  /** POP3 listeners; without them this is an auth-only instance (for postfix's SASL). */
  readonly pop3?: { readonly port: number; readonly tlsPort: number }
  /** Maildir root: mail of user U lives in `${mailRoot}/U/Maildir`. */
  readonly mailRoot?: string
  /** A unix listener in the run dir that postfix's `smtpd_sasl_path` points at. */
  readonly authSocketName?: string
  /**
   * Limits for load: `default_process_limit` (pop3 processes, one per logged-in session; dovecot's default
   * 100) and `mail_max_userip_connections` (sessions of one user from one address; default 10). Unset: not written.
   */
  readonly limits?: { readonly processLimit: number; readonly userIpConnections: number }
}

/**
 * A self-contained dovecot.conf (no include of /etc/dovecot): its own base_dir, state_dir, logs, users,
 * listeners on 127.0.0.1 only.
 */
export function dovecotConfig(options: DovecotConfigOptions): string {
  const { directory } = options
  const pop3 = options.pop3
  const listeners = pop3
    ? `service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = ${pop3.port}
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = ${pop3.tlsPort}
    ssl = yes
  }
  service_count = 0
  process_min_avail = 1
}
`
    : ''
  const authSocket = options.authSocketName
    ? `service auth {
  unix_listener ${options.authSocketName} {
    mode = 0666
  }
}
`
    : ''
  return `# netc harness: a private dovecot on loopback
instance_name = ${directory}
base_dir = ${directory}/run
state_dir = ${directory}/state
log_path = ${directory}/dovecot.log
info_log_path = ${directory}/dovecot.log
protocols = ${pop3 ? 'pop3' : 'none'}
listen = 127.0.0.1
ssl = yes
ssl_cert = <${options.certFile}
ssl_key = <${options.keyFile}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = ${options.mechanisms}
first_valid_uid = ${options.uid}
last_valid_uid = ${options.uid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${options.usersFile}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${options.usersFile}
}
${options.mailRoot ? `mail_location = maildir:${options.mailRoot}/%u/Maildir` : ''}
pop3_uidl_format = %08Xu%08Xv
${options.limits === undefined ? '' : `default_process_limit = ${options.limits.processLimit}\nmail_max_userip_connections = ${options.limits.userIpConnections}\n`}# No auth penalty (auth cannot reach this socket): otherwise one test's wrong password slows every later
# login from 127.0.0.1 by up to 15 s. The plain 2 s auth_failure_delay stays.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
${listeners}${authSocket}`
}
