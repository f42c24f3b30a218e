import { InvalidArgumentError as CommanderArgumentError, Option, type Command as CommanderCommand } from 'commander'

/** TlsChoice: the `--tls` values. */
export type TlsChoice = 'required' | 'opportunistic' | 'none'

/** CommonOptions: the options every protocol command takes (apps/cli/README.md). */
export interface CommonOptions {
  trace?: boolean
  json?: boolean
  timeout?: number
  tls?: TlsChoice
  ca?: string
  insecure?: boolean
  netrc?: boolean
  netrcFile?: string
  passwordStdin?: boolean
}

/**
 * addCommonOptions: `--trace --json --timeout --tls --ca --insecure --netrc --netrc-file --password-stdin`
 * on a command, and an example under its help.
 *
 * ```
 * netc ftp ls ftp://dave@ftp.example.com/pub --netrc --json
 * ```
 */
export function addCommonOptions(command: CommanderCommand, example: string): CommanderCommand {
  return command
    .option('--trace', 'print the C:/S: dialogue on stderr (passwords redacted)')
    .option('--json', 'machine-readable output on stdout')
    .addOption(new Option('--timeout <ms>', 'timeout for connecting and for each reply, in milliseconds').argParser(parseTimeout))
    .addOption(new Option('--tls <mode>', 'TLS: STARTTLS/AUTH TLS required, opportunistic, or none').choices(['required', 'opportunistic', 'none']))
    .option('--ca <file>', 'trust this CA certificate (PEM)')
    .option('--insecure', 'do not verify the server certificate (warns)')
    .option('--netrc', 'take missing credentials from ~/.netrc (or $NETRC)')
    .option('--netrc-file <file>', 'take missing credentials from this netrc file')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .addHelpText('after', `\nExample:\n  ${example}\n`)
}

function parseTimeout(value: string): number {
  const ms = Number(value)
  if (!Number.isInteger(ms) || ms <= 0) throw new CommanderArgumentError('a positive number of milliseconds')
  return ms
}
