import type { Duplex } from 'node:stream'
import type { Command } from '../command/command.ts'
import type { ReplyError, ReplyErrorOptions, TimeoutPhase } from '../errors/index.ts'
import type { ByteReader } from '../io/byte-reader.ts'
import type { Limits } from '../limits.ts'
import type { CodedReply } from '../reply/coded-reply.ts'
import { CodedReplyParser } from '../reply/coded-reply-parser.ts'
import { ReplyDeadline } from './reply-deadline.ts'
import type { Timeouts } from './timeouts.ts'
import type { TlsSettings } from './start-tls.ts'

/** How one read goes: its phase (for the timeout), an override of the timeout, whether it holds secrets. */
export interface ReadReplyOptions {
  phase?: TimeoutPhase
  timeout?: number
  /** The reply carries a SASL challenge or similar: it is logged as `****`. */
  sensitive?: boolean
}

/** The hooks a ConnectionIo calls back into its Connection (kept apart so that io stays small). */
export interface ConnectionIoHost {
  /** The reader of the current socket (it changes after a TLS upgrade). */
  reader(): ByteReader
  /** The current socket, plaintext or TLS. */
  socket(): Duplex
  readonly limits: Limits
  readonly timeouts: Timeouts
  readonly encoding: BufferEncoding
  createReplyError(options: ReplyErrorOptions): ReplyError
  logCommand(command: Command): void
  logReply(reply: CodedReply, sensitive: boolean): void
  logLine(direction: 'C' | 'S', line: string): void
  upgradeTls(settings: TlsSettings | undefined, signal: AbortSignal | undefined, unwrappable?: boolean): Promise<void>
  endTls(signal: AbortSignal | undefined): Promise<Buffer | undefined>
  startCompression(): void
  /** What the reads of every task on the connection share (`makeReadState`). */
  readonly readState: ReadState
}

/**
 * ReadState: what the reads of one connection share across its tasks: the reply parser, the read deadline,
 * and how many replies are owed (`oweReply`) and dropped before the next one is read.
 */
export interface ReadState {
  readonly parser: CodedReplyParser
  readonly deadline: ReplyDeadline
  owed: number
}

/**
 * makeReadState: a connection's read state. A reply timeout calls `fail` with the `TimeoutError` (the
 * Connection fails its reader: the wait rejects, and the connection, whose wire is now out of step, closes).
 */
export function makeReadState(limits: Limits, fail: (error: Error) => void): ReadState {
  return { parser: new CodedReplyParser(limits), deadline: new ReplyDeadline(fail), owed: 0 }
}
