import { ReplyError } from '@netc/transport'
import { ClosedError, ConnectionError, InvalidArgumentError, NetcError, TimeoutError, TlsError } from '@netc/transport'
import { CliError, ExitCode, type ExitCodeValue } from './cli-error.ts'

/** Commands whose refusal means the credentials were refused (the command text is redacted: `PASS ****`). */
const AUTH_COMMAND = /^(USER|PASS|ACCT|AUTHINFO|APOP|AUTH(?! TLS| SSL))\b/i

/** Commands that upgrade to TLS: a refusal means the secure connection cannot be had. */
const TLS_COMMAND = /^(AUTH (TLS|SSL)|STARTTLS|STLS)\b/i

/**
 * exitCodeOf: the exit code for an error (apps/cli/README.md): a refused login (USER, PASS, AUTH, AUTHINFO,
 * APOP, or an FTP 530) is 4, a refused TLS upgrade (AUTH TLS, STARTTLS, STLS) 3, any other reply error 1, a timeout 5, a connection or TLS failure 3, a bad
 * argument 2. A ClosedError is judged by its cause (a connection dropped after a timeout is a timeout).
 */
export function exitCodeOf(error: unknown): ExitCodeValue {
  if (error instanceof CliError) return error.exitCode
  if (isAuthFailure(error)) return ExitCode.auth
  if (ReplyError.isInstance(error) && TLS_COMMAND.test(error.command ?? '')) return ExitCode.connect
  if (ReplyError.isInstance(error)) return ExitCode.refused
  if (TimeoutError.isInstance(error)) return ExitCode.timeout
  if (TlsError.isInstance(error) || ConnectionError.isInstance(error)) return ExitCode.connect
  if (InvalidArgumentError.isInstance(error)) return ExitCode.usage
  if (ClosedError.isInstance(error) && error.cause !== undefined && error.cause !== error) return exitCodeOf(error.cause)
  if (error instanceof Error && error.cause !== undefined && !NetcError.isInstance(error)) return exitCodeOf(error.cause)
  return ExitCode.refused
}

/** isAuthFailure: the server refused the credentials. */
export function isAuthFailure(error: unknown): boolean {
  if (!ReplyError.isInstance(error)) return false
  if (AUTH_COMMAND.test(error.command ?? '')) return true
  const ftp530 = error.name === 'FtpReplyError' && error.replyCode === 530
  return ftp530 || (error.name === 'NntpReplyError' && [481, 482].includes(error.replyCode))
}
