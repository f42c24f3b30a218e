import { InvalidArgumentError } from '../errors/index.ts'
import { TestServer, type TestServerOptions } from './test-server.ts'
import type { TestSession } from './test-session.ts'

/**
 * ScriptStep: one step of a transcript. `'S: 220 ready'` is a line the server sends (consecutive ones go
 * out in one write); `'C: EHLO client'` a line the client must send, exactly, ended by CRLF. The objects:
 * upgrade to TLS now, close the connection, never answer again, send raw bytes, expect raw client bytes.
 */
export type ScriptStep =
  | string
  | { starttls: true }
  | { close: true }
  | { stall: true }
  | { send: Buffer | string }
  | { expectBytes: Buffer | string }

/** Options of `startScriptedServer`: the script, and what TestServer takes (less `onSession`). */
export interface ScriptedServerOptions extends Omit<TestServerOptions, 'onSession'> {
  script: readonly ScriptStep[]
  /** How many connections to serve, each replaying the whole script. Default 1; more is a mismatch. */
  connections?: number
  /** A `C:` line ended by a bare LF (or by EOF) is a mismatch. Default true. */
  strictLineEndings?: boolean
}

/** ScriptMismatch: where a connection left the script: the step (from 1), what was expected and what came. */
export interface ScriptMismatch {
  connection: number
  step: number
  expected: string
  actual: string
}

/** ScriptRun: one connection's run of the script. `log` is the transcript as `S: ...` / `C: ...` lines. */
export interface ScriptRun {
  connection: number
  clientLines: string[]
  log: string[]
  completed: boolean
  mismatch: ScriptMismatch | undefined
}

type Operation =
  | { kind: 'server'; step: number; lines: string[] }
  | { kind: 'client'; step: number; line: string }
  | { kind: 'send'; step: number; data: Buffer | string }
  | { kind: 'expectBytes'; step: number; data: Buffer | string }
  | { kind: 'starttls' | 'close' | 'stall'; step: number }

/**
 * startScriptedServer: a TestServer that plays a transcript, as Go's net/smtp tests do, and records
 * where the client left it.
 *
 * ```ts
 * await using server = await startScriptedServer({ script: [
 *   'S: 220 ready', 'C: EHLO client', 'S: 250-first', 'S: 250 last', 'C: QUIT', 'S: 221 bye',
 * ] })
 * // ... run a client against server.port ...
 * await server.finished()
 * server.assertCompleted()       // throws with expected vs actual lines unless the script ran exactly
 * ```
 */
export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  return ScriptedServer.start(options)
}

/** ScriptedServer: the server `startScriptedServer` made, with what each connection did. */
export class ScriptedServer implements AsyncDisposable {
  /** One run per connection, in accept order. */
  readonly runs: ScriptRun[] = []
  /** How many connections the script serves. */
  readonly connections: number
  readonly #operations: readonly Operation[]
  readonly #strict: boolean
  readonly #waiters: Array<() => void> = []
  #server: TestServer | undefined

  private constructor(options: ScriptedServerOptions) {
    this.connections = options.connections ?? 1
    this.#operations = compileScript(options.script)
    this.#strict = options.strictLineEndings ?? true
  }

  /** ScriptedServer.start: the same as `startScriptedServer(options)`. */
  static async start(options: ScriptedServerOptions): Promise<ScriptedServer> {
    const scripted = new ScriptedServer(options)
    scripted.#server = await TestServer.start({ ...options, onSession: (session) => scripted.#play(session) })
    return scripted
  }

  /** The TestServer underneath (its sessions, errors, faults). */
  get server(): TestServer {
    if (this.#server === undefined) throw new Error('ScriptedServer: not started')
    return this.#server
  }

  /** The address listened on (127.0.0.1 unless `host` said ::1). */
  get host(): string {
    return this.server.host
  }
  /** The port the kernel picked. */
  get port(): number {
    return this.server.port
  }
  /** The CA to give clients as `ca`. */
  get ca(): string {
    return this.server.ca
  }
  /** See `TestServer.url`. */
  url(...args: Parameters<TestServer['url']>): string {
    return this.server.url(...args)
  }
  /** Every line the client sent, over all connections, in order. */
  get clientLines(): string[] {
    return this.runs.flatMap((run) => run.clientLines)
  }
  /** Where connections left the script. */
  get mismatches(): ScriptMismatch[] {
    return this.runs.flatMap((run) => (run.mismatch === undefined ? [] : [run.mismatch]))
  }

  /** finished: resolves once `connections` runs have ended (completed or not), or the server closed. */
  finished(): Promise<void> {
    if (this.#ended() >= this.connections) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  /** assertCompleted: throws an Error with a readable diff unless every connection ran the whole script exactly. */
  assertCompleted(): void {
    const problems: string[] = []
    if (this.runs.length < this.connections) {
      const failed = this.server.sessions.filter((session) => session.error !== undefined && session.encrypted === false)
      const why = failed.map((session) => `; connection ${session.id} failed before the script: ${session.error?.message}`).join('')
      problems.push(`expected ${this.connections} connection(s), got ${this.runs.length}${why}`)
    }
    for (const run of this.runs) {
      if (run.completed && run.mismatch === undefined) continue
      const mismatch = run.mismatch
      const head = mismatch === undefined
        ? `connection ${run.connection}: the script has not finished`
        : `connection ${run.connection}, step ${mismatch.step}:\n  expected ${mismatch.expected}\n  actual   ${mismatch.actual}`
      problems.push(`${head}\n  transcript:\n${run.log.map((line) => `    ${line}`).join('\n') || '    (empty)'}`)
    }
    if (problems.length > 0) throw new Error(`the script did not run as written:\n${problems.join('\n')}`)
  }

  /** close: closes the server (see `TestServer.close`). */
  async close(): Promise<void> {
    await this.server.close()
    for (const wake of this.#waiters.splice(0)) wake()
  }

  /** `await using server = await startScriptedServer(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  /** Plays the script on one session; never throws: what goes wrong is the run's mismatch. */
  async #play(session: TestSession): Promise<void> {
    const run: ScriptRun = { connection: this.runs.length + 1, clientLines: [], log: [], completed: false, mismatch: undefined }
    this.runs.push(run)
    if (run.connection > this.connections) {
      run.mismatch = { connection: run.connection, step: 0, expected: `at most ${this.connections} connection(s)`, actual: `connection ${run.connection}` }
    } else {
      for (const operation of this.#operations) {
        let actual: string | undefined
        try {
          actual = await this.#step(session, run, operation)
        } catch (error) {
          actual = `(${(error as Error).name}: ${(error as Error).message})`
        }
        if (actual !== undefined) {
          run.mismatch = { connection: run.connection, step: operation.step, expected: describe(operation), actual }
          break
        }
        if (run.completed) break
      }
      if (run.mismatch === undefined) run.completed = true
    }
    this.#notify()
    await session.close()
  }

  /** Runs one step; returns what the client did instead when it left the script. */
  async #step(session: TestSession, run: ScriptRun, operation: Operation): Promise<string | undefined> {
    const closed = '(the client closed the connection)'
    switch (operation.kind) {
      case 'server':
        run.log.push(...operation.lines.map((line) => `S: ${line}`))
        await session.write(operation.lines.map((line) => `${line}\r\n`).join(''))
        return undefined
      case 'send':
        run.log.push(`S: ${show(operation.data)} (raw)`)
        await session.write(operation.data)
        return undefined
      case 'client': {
        const line = await session.readLine()
        if (line === undefined) return closed
        run.clientLines.push(line)
        run.log.push(`C: ${line}`)
        const ending = this.#strict && session.lastLineEnding !== 'crlf' ? ` (ended by ${session.lastLineEnding === 'lf' ? 'a bare LF' : 'EOF'})` : ''
        return line === operation.line && ending === '' ? undefined : `C: ${line}${ending}`
      }
      case 'expectBytes': {
        const expected = typeof operation.data === 'string' ? Buffer.from(operation.data, session.encoding) : operation.data
        const actual = await session.readBytes(expected.length)
        if (actual === undefined) return closed
        run.log.push(`C: ${show(actual)} (raw)`)
        return actual.equals(expected) ? undefined : `C: ${show(actual)} (raw)`
      }
      case 'starttls':
        await session.upgradeTls()
        run.log.push('(TLS handshake)')
        return session.bufferedPlaintext.length === 0 ? undefined : `plaintext sent before the handshake: ${show(session.bufferedPlaintext)}`
      case 'close':
        run.completed = true
        return undefined
      case 'stall':
        run.completed = true
        this.#notify()
        for (let line = await session.readLine(); line !== undefined; line = await session.readLine()) {
          run.clientLines.push(line)
          run.log.push(`C: ${line} (no answer: stalled)`)
        }
        return undefined
    }
  }

  #notify(): void {
    if (this.#ended() >= this.connections) for (const wake of this.#waiters.splice(0)) wake()
  }

  #ended(): number {
    return this.runs.filter((run) => run.completed || run.mismatch !== undefined).length
  }
}

/** compileScript: checks each step and joins consecutive `S:` lines into one write. */
function compileScript(script: readonly ScriptStep[]): Operation[] {
  const operations: Operation[] = []
  script.forEach((item, index) => {
    const step = index + 1
    if (typeof item === 'string') {
      const match = /^([SC]):(?: (.*))?$/s.exec(item)
      if (match === null) throw new InvalidArgumentError(`script step ${step}: ${JSON.stringify(item)} starts with neither 'S: ' nor 'C: '`)
      const text = match[2] ?? ''
      if (/[\r\n]/.test(text)) throw new InvalidArgumentError(`script step ${step}: one line per step, without CR or LF`)
      const last = operations.at(-1)
      if (match[1] === 'C') operations.push({ kind: 'client', step, line: text })
      else if (last?.kind === 'server') last.lines.push(text)
      else operations.push({ kind: 'server', step, lines: [text] })
    } else if ('send' in item) operations.push({ kind: 'send', step, data: item.send })
    else if ('expectBytes' in item) operations.push({ kind: 'expectBytes', step, data: item.expectBytes })
    else if ('starttls' in item) operations.push({ kind: 'starttls', step })
    else if ('close' in item) operations.push({ kind: 'close', step })
    else if ('stall' in item) operations.push({ kind: 'stall', step })
    else throw new InvalidArgumentError(`script step ${step}: unknown step ${JSON.stringify(item)}`)
  })
  return operations
}

/** describe: what a step expects, as the diff shows it. */
function describe(operation: Operation): string {
  switch (operation.kind) {
    case 'server':
      return `S: ${operation.lines.join(' / ')}`
    case 'client':
      return `C: ${operation.line}`
    case 'send':
      return `S: ${show(operation.data)} (raw)`
    case 'expectBytes':
      return `C: ${show(operation.data)} (raw)`
    case 'starttls':
      return 'a TLS handshake, with no plaintext before it'
    default:
      return operation.kind
  }
}

/** show: text or bytes, JSON-quoted so CR, LF and other controls are visible. */
function show(data: Buffer | string): string {
  return JSON.stringify(typeof data === 'string' ? data : data.toString('latin1'))
}
