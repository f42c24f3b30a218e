/** Options for {@link postfixMainCf}. */
export interface PostfixConfigOptions {
  readonly directory: string
  readonly certFile: string
  readonly keyFile: string
  /** The dovecot auth socket for SASL. */
  readonly saslPath: string
  /** Mail for this domain is kept in `${directory}/maildir/` (everything else is discarded). */
  readonly keepDomain: string
  readonly keepAll: boolean
  /** smtpd_timeout, e.g. `300s`. */
  readonly smtpdTimeout: string
  readonly mailUid: number
  readonly mailGid: number
  /** postfix's `default_process_limit` (smtpd, cleanup, ... processes each; postfix's default 100); unset: not written. */
  readonly processLimit?: number
}

/**
 * main.cf of a sink: accepts every recipient from 127.0.0.0/8 (or from a SASL login) and discards it,
 * except mail for `keepDomain` (or all mail, with `keepAll`), which the virtual agent delivers into one Maildir.
 */
export function postfixMainCf(options: PostfixConfigOptions): string {
  const { directory } = options
  return `# netc harness: a private postfix on loopback
compatibility_level = 3.6
queue_directory = ${directory}/queue
data_directory = ${directory}/data
myhostname = localhost.localdomain
mydomain = localdomain
myorigin = $myhostname
mydestination =
local_recipient_maps =
relay_domains =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = $myhostname ESMTP netc harness postfix
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
default_transport = ${options.keepAll ? 'virtual' : 'discard:netc harness sink'}
relay_transport = $default_transport
local_transport = $default_transport
virtual_transport = virtual
virtual_mailbox_domains = ${options.keepDomain}
virtual_mailbox_base = ${directory}
virtual_mailbox_maps = static:maildir/
virtual_uid_maps = static:${options.mailUid}
virtual_gid_maps = static:${options.mailGid}
virtual_minimum_uid = 1
in_flow_delay = 0s
smtpd_timeout = ${options.smtpdTimeout}
smtputf8_enable = yes
smtpd_tls_security_level = may
smtpd_tls_cert_file = ${options.certFile}
smtpd_tls_key_file = ${options.keyFile}
smtpd_tls_auth_only = yes
smtpd_tls_loglevel = 1
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = ${options.saslPath}
maillog_file = ${directory}/postfix.log
maillog_file_prefixes = ${directory}
biff = no
append_dot_mydomain = no
${options.processLimit === undefined ? '' : `default_process_limit = ${options.processLimit}\n`}`
}

/** master.cf: the two smtpd listeners (plain + STARTTLS, and implicit TLS) and the services a sink needs. */
export function postfixMasterCf(port: number, tlsPort: number): string {
  const services = [
    ['cleanup', 'unix', 'n', '-', 'n', '-', '0', 'cleanup'],
    ['qmgr', 'unix', 'n', '-', 'n', '300', '1', 'qmgr'],
    ['tlsmgr', 'unix', '-', '-', 'n', '1000?', '1', 'tlsmgr'],
    ['rewrite', 'unix', '-', '-', 'n', '-', '-', 'trivial-rewrite'],
    ['bounce', 'unix', '-', '-', 'n', '-', '0', 'bounce'],
    ['defer', 'unix', '-', '-', 'n', '-', '0', 'bounce'],
    ['trace', 'unix', '-', '-', 'n', '-', '0', 'bounce'],
    ['verify', 'unix', '-', '-', 'n', '-', '1', 'verify'],
    ['flush', 'unix', 'n', '-', 'n', '1000?', '0', 'flush'],
    ['proxymap', 'unix', '-', '-', 'n', '-', '-', 'proxymap'],
    ['showq', 'unix', 'n', '-', 'n', '-', '-', 'showq'],
    ['error', 'unix', '-', '-', 'n', '-', '-', 'error'],
    ['retry', 'unix', '-', '-', 'n', '-', '-', 'error'],
    ['discard', 'unix', '-', '-', 'n', '-', '-', 'discard'],
    ['virtual', 'unix', '-', 'n', 'n', '-', '-', 'virtual'],
    ['anvil', 'unix', '-', '-', 'n', '-', '1', 'anvil'],
    ['scache', 'unix', '-', '-', 'n', '-', '1', 'scache'],
    ['postlog', 'unix-dgram', 'n', '-', 'n', '-', '1', 'postlogd'],
  ]
  return [
    '# netc harness: service type private unpriv chroot wakeup maxproc command',
    `127.0.0.1:${port} inet n - n - - smtpd`,
    `127.0.0.1:${tlsPort} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt`,
    ...services.map((fields) => fields.join(' ')),
    '',
  ].join('\n')
}
