import { InvalidArgumentError } from '../errors/index.ts'

/** NetrcEntry: one `machine` (or the `default`) entry of a netrc file. */
export interface NetrcEntry {
  /** The host name, or `undefined` for the `default` entry. */
  machine: string | undefined
  /** The user name (`login` or its synonym `user`). */
  login?: string
  /** The password. A secret: never log it. */
  password?: string
  /** The FTP account (`ACCT`, RFC 959 section 4.1.1), rarely used. */
  account?: string
}

const KEYWORDS = ['login', 'password', 'account'] as const
type Keyword = (typeof KEYWORDS)[number]

/** NetrcLexer: whitespace-separated tokens, with quotes, backslash escapes and line skipping. */
class NetrcLexer {
  #index = 0
  line = 1
  constructor(readonly text: string) {}

  /** The next token, or `undefined` at the end; `"a b\"c"` and `a\ b` are single tokens. */
  next(): string | undefined {
    this.#skipWhitespace()
    if (this.#index >= this.text.length) return undefined
    const quoted = this.text[this.#index] === '"'
    if (quoted) this.#index += 1
    let token = ''
    for (let char = this.text[this.#index]; char !== undefined; char = this.text[this.#index]) {
      if (quoted ? char === '"' : /\s/.test(char)) break
      if (char === '\n') this.line += 1
      this.#index += char === '\\' && this.#index + 1 < this.text.length ? 2 : 1
      token += char === '\\' ? (this.text[this.#index - 1] ?? '') : char
    }
    if (quoted) {
      if (this.#index >= this.text.length) throw this.error('unterminated quoted token')
      this.#index += 1
    }
    return token
  }

  /** Skips the rest of the current line. */
  skipLine(): void {
    const end = this.text.indexOf('\n', this.#index)
    this.#index = end === -1 ? this.text.length : end
  }

  /** Skips whole lines up to and including the first empty one (the end of a `macdef`). */
  skipMacro(): void {
    this.skipLine()
    while (this.#index < this.text.length) {
      this.#index += 1
      this.line += 1
      const end = this.text.indexOf('\n', this.#index)
      const line = this.text.slice(this.#index, end === -1 ? this.text.length : end)
      this.#index = end === -1 ? this.text.length : end
      if (line === '' || line === '\r') return
    }
  }

  error(reason: string): InvalidArgumentError {
    return new InvalidArgumentError(`netrc line ${this.line}: ${reason}`)
  }

  #skipWhitespace(): void {
    for (let char = this.text[this.#index]; char !== undefined && /\s/.test(char); char = this.text[this.#index]) {
      if (char === '\n') this.line += 1
      this.#index += 1
    }
  }
}

/**
 * parseNetrc: the entries of a netrc file, in file order.
 *
 * ```
 * # comment
 * machine ftp.example.com login dave password "s3cret pass"
 * machine mail.example.com
 *   login dave@example.com
 *   password p\"w
 * macdef init
 * cd /pub
 *
 * default login anonymous password guest@
 * ```
 * The format of BSD ftp(1), with what curl and Python's `netrc` accept on top: tokens may be quoted
 * (`"a b"`), a backslash takes the next character literally (Python's rule: `\n` is `n`), `#` starts a
 * comment where a keyword is expected (so `password #1` keeps its password), and a `macdef` block is skipped
 * up to the first empty line. `user` is read as `login`. An unknown keyword, a keyword without its value
 * or an unterminated quote is an `InvalidArgumentError` with the line number (never the token: it may be
 * a password).
 */
export function parseNetrc(text: string): NetrcEntry[] {
  const lexer = new NetrcLexer(text)
  const entries: NetrcEntry[] = []
  let entry: NetrcEntry | undefined
  for (let token = lexer.next(); token !== undefined; token = lexer.next()) {
    if (token.startsWith('#')) {
      lexer.skipLine()
    } else if (token === 'machine') {
      entry = { machine: value(lexer, 'machine') }
      entries.push(entry)
    } else if (token === 'default') {
      entry = { machine: undefined }
      entries.push(entry)
    } else if (token === 'macdef') {
      value(lexer, 'macdef')
      lexer.skipMacro()
      entry = undefined
    } else {
      const keyword: Keyword | undefined = token === 'user' ? 'login' : KEYWORDS.find((word) => word === token)
      if (keyword === undefined) throw lexer.error('unexpected token (expected machine, default, macdef, login, password or account)')
      if (entry === undefined) throw lexer.error(`"${keyword}" outside a machine or default entry`)
      entry[keyword] = value(lexer, keyword)
    }
  }
  return entries
}

function value(lexer: NetrcLexer, keyword: string): string {
  const token = lexer.next()
  if (token === undefined) throw lexer.error(`"${keyword}" without a value`)
  return token
}
