import { InvalidArgumentError } from '../errors/index.ts'
import { assertSafeArgument, isSafeArgument } from './assert-safe-argument.ts'

/** What is hidden when a command is logged: nothing, the arguments from an index on, or the whole line. */
export type Redaction = 'none' | 'line' | { fromArgument: number }

/** The mask that stands for a secret in logs, transcripts and error messages. */
export const REDACTED = '****'

const VERB = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * Verbs whose arguments are secrets whoever builds the command: a safety net under `Command.secret`, so
 * that a password never reaches a log even when a caller forgets to mark it. The value is the index of
 * the first secret argument. FTP PASS/ACCT (RFC 959), POP3 PASS/APOP (RFC 1939), AUTH (RFC 4954, 5034,
 * 4217's AUTH TLS carries no secret but no harm is done), NNTP AUTHINFO (RFC 4643) below.
 */
const SECRET_VERBS: ReadonlyMap<string, number> = new Map([
  ['PASS', 0],
  ['ACCT', 0],
  ['APOP', 1],
  ['AUTH', 1],
])

function defaultRedaction(verb: string, args: readonly string[]): Redaction {
  const upper = verb.toUpperCase()
  if (upper === 'AUTHINFO') {
    const sub = args[0]?.toUpperCase()
    if (sub === 'PASS') return { fromArgument: 1 }
    if (sub === 'SASL') return { fromArgument: 2 }
    return 'none'
  }
  const from = SECRET_VERBS.get(upper)
  return from === undefined || args.length <= from ? 'none' : { fromArgument: from }
}

/**
 * Command: one command line as a typed value (lettre's commands, Go's `textproto.Cmd`). It knows its exact
 * wire bytes (`toWire`) and the form that may be logged (`toLog`), with secrets masked. Arguments are
 * checked when the command is made: CR, LF or NUL throw `InvalidArgumentError` before anything is written.
 *
 * ```
 * Command.of('RETR', 'dave.txt').toWire()        // "RETR dave.txt\r\n"
 * Command.secret('PASS', 'hunter2').toLog()      // "PASS ****"
 * Command.of('AUTH', 'PLAIN', b64).redacting(1)  // logs "AUTH PLAIN ****"
 * ```
 * RFC 959 section 4.1, RFC 5321 section 4.1.1, RFC 1939 section 3, RFC 3977 section 3.1.
 */
export class Command {
  /** The command word, e.g. `RETR`. Empty for a bare line such as a SASL response. */
  readonly verb: string
  /** The arguments, each checked for CR, LF and NUL. */
  readonly args: readonly string[]
  /** What `toLog()` hides. */
  readonly redaction: Redaction

  /** The line with its CRLF, made once (a command is written once, and logged only when someone listens). */
  #wireText: string | undefined

  private constructor(verb: string, args: readonly string[], redaction: Redaction) {
    this.verb = verb
    this.args = args
    this.redaction = redaction
  }

  /** Command.of: a command with public arguments. `Command.of('CWD', 'dave')` → `CWD dave`. */
  static of(verb: string, ...args: ReadonlyArray<string | number>): Command {
    if (!VERB.test(verb)) throw new InvalidArgumentError(`invalid command verb: ${JSON.stringify(verb)}`)
    const strings: string[] = new Array<string>(args.length)
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]
      const text = typeof arg === 'string' ? arg : String(arg)
      // The argument's name is only spelt out for the error.
      if (!isSafeArgument(text)) assertSafeArgument(text, `${verb} argument ${i + 1}`)
      strings[i] = text
    }
    return new Command(verb, strings, defaultRedaction(verb, strings))
  }

  /** Command.secret: every argument is a secret. `Command.secret('PASS', 'x').toLog()` → `PASS ****`. */
  static secret(verb: string, ...args: ReadonlyArray<string | number>): Command {
    return Command.of(verb, ...args).redacting(0)
  }

  /**
   * Command.line: a bare line that is not verb + arguments (a SASL response, `*` to cancel one).
   * `secret` (the default) masks the whole line in logs.
   */
  static line(text: string, options: { secret?: boolean } = {}): Command {
    assertSafeArgument(text, 'line')
    return new Command('', [text], options.secret === false ? 'none' : 'line')
  }

  /** redacting: the same command with arguments from `fromArgument` (0-based) on masked in logs. */
  redacting(fromArgument: number): Command {
    return new Command(this.verb, this.args, { fromArgument })
  }

  /** The command line without its CRLF, unredacted. Never log this. */
  get text(): string {
    if (this.verb === '') return this.args[0] ?? ''
    return this.args.length === 0 ? this.verb : `${this.verb} ${this.args.join(' ')}`
  }

  /** wireText: the exact line to send, CRLF included, unredacted (`RETR dave.txt\r\n`). Never log this. */
  get wireText(): string {
    this.#wireText ??= `${this.text}\r\n`
    return this.#wireText
  }

  /** toWire: the exact bytes to send, CRLF included, in the connection's encoding (UTF-8 unless set). */
  toWire(encoding: BufferEncoding = 'utf8'): Buffer {
    return Buffer.from(this.wireText, encoding)
  }

  /** toLog: the line as it may appear in transcripts, diagnostics and error messages. */
  toLog(): string {
    const { redaction } = this
    if (redaction === 'none') return this.text
    if (redaction === 'line') return REDACTED
    const shown = this.args.slice(0, redaction.fromArgument)
    const hidden = this.args.length > redaction.fromArgument ? [REDACTED] : []
    return [this.verb, ...shown, ...hidden].join(' ')
  }

  /** String form: the redacted log line, so that a stray template string never leaks a secret. */
  toString(): string {
    return this.toLog()
  }
}
