import { Command, ProtocolError, type CodedReply, type ConnectionIo, type Expectation } from '@netc/transport'
import { LineSplitter, splitText } from '../parse/line-splitter.ts'

/**
 * The commands that keep the ACK clock (see `exchange`): reads, after which the server takes any next
 * command. Not STARTTLS, COMPRESS, AUTHINFO, POST, IHAVE, MODE or QUIT, after whose go-ahead the next bytes
 * are a handshake, a credential, an article or nothing at all.
 */
const CLOCKED = new Set(['CAPABILITIES', 'GROUP', 'LISTGROUP', 'ARTICLE', 'HEAD', 'BODY', 'STAT', 'NEXT', 'LAST', 'LIST', 'NEWGROUPS', 'NEWNEWS', 'DATE', 'HELP', 'OVER', 'XOVER', 'HDR', 'XHDR'])

const DATE = Command.of('DATE')

/**
 * exchange: sends one command and reads its status line, checked against `expect` (RFC 3977 section 3.2).
 * `block: true` says a multi-line block follows a positive reply (the caller reads it).
 *
 * The ACK clock: INN writes a status line and the lines after it apart, and its Nagle holds what follows
 * an unacknowledged write until our delayed ACK, 40 ms later; every reply with a block (CAPABILITIES,
 * ARTICLE, LIST...) paid it, and so did the reply after an owed one. For the commands in CLOCKED, when a
 * status line arrives alone before its block, or when nothing of the reply is here after the owed
 * replies were dropped, a DATE goes out (RFC 3977 section 3.5 allows pipelining it): its segment carries
 * the ACK and the held bytes come at once. DATE's answers are owed (`io.oweReply()`) and dropped before
 * the next reply, where waiting for them would meet the same hold. A server that writes a reply whole
 * never sees a DATE.
 *
 * ```
 * C: ARTICLE 1   S: 220 1 <a@b> article   C: DATE   S: (the article) .
 * C: ARTICLE 2   S: 111 20261207140000 (dropped)     C: DATE   S: 220 2 <c@d> article (the article) .
 * ```
 */
export async function exchange(
  io: ConnectionIo,
  command: Command,
  expect: Expectation,
  options: { sensitive?: boolean; block?: boolean } = {},
): Promise<CodedReply> {
  if (!CLOCKED.has(command.verb.toUpperCase())) {
    // Owed DATE answers are released by the command's first byte alone: a DATE after it could be taken
    // for an article, a credential or a TLS handshake.
    await io.sendReleasingOwed(command)
    return io.expect(await io.readCodedReply({ sensitive: options.sensitive === true }), expect, command)
  }
  await io.send(command)
  let nudges = 0
  if (io.owedReplies > 0) {
    await io.dropOwedReplies()
    if (io.bufferedBytes === 0) nudges += await nudge(io)
  }
  const reply = await io.readCodedReply({ sensitive: options.sensitive === true })
  if (options.block === true && reply.code < 300 && io.bufferedBytes === 0) nudges += await nudge(io)
  // The DATEs went out after this command: their answers follow its reply (and its block).
  for (let i = 0; i < nudges; i++) io.oweReply()
  return io.expect(reply, expect, command)
}

async function nudge(io: ConnectionIo): Promise<number> {
  await io.send(DATE)
  return 1
}

/**
 * readBlockBatches: the lines of the multi-line block after a status line (RFC 3977 section 3.1.1),
 * unstuffed, in batches: every line that a received chunk completes, at once (never an empty batch). One
 * step per chunk instead of one per line; a batch holds no more than a chunk's worth of lines. Leaving
 * the loop early drains the rest of the block.
 */
export async function* readBlockBatches(io: ConnectionIo): AsyncGenerator<string[], void, undefined> {
  for await (const text of readBlockTexts(io)) yield splitText(text)
}

/**
 * readBlockTexts: the same batches as `readBlockBatches`, each as one string: the lines joined by LF,
 * without the last one, each perhaps still ending in CR (see `LineSplitter.pushText`), for a parser that
 * walks the lines itself (`parseOverviewText`). Leaving the loop early drains the rest of the block.
 *
 * ```
 * S: 224 Overview follows   S: 1\tHi\t...\r\n 2\tRe: Hi\t...\r\n .   → '1\tHi\t...\r\n2\tRe: Hi\t...\r'
 * ```
 */
export async function* readBlockTexts(io: ConnectionIo): AsyncGenerator<string, void, undefined> {
  const splitter = new LineSplitter(io.limits.maxLineLength)
  for await (const chunk of io.readDotBody()) {
    const text = splitter.pushText(chunk)
    if (text !== undefined) yield text
  }
  const rest = splitter.endText()
  if (rest !== undefined) yield rest
}

/**
 * readBlockLines: the lines of the multi-line block after a status line (RFC 3977 section 3.1.1),
 * unstuffed, as an async iterator. Leaving the loop early drains the rest of the block.
 */
export async function* readBlockLines(io: ConnectionIo): AsyncGenerator<string, void, undefined> {
  for await (const lines of readBlockBatches(io)) yield* lines
}

/** readBlock: every line of the block, bounded by `limits.maxListingBytes`. */
export async function readBlock(io: ConnectionIo): Promise<string[]> {
  const lines: string[] = []
  let size = 0
  for await (const batch of readBlockBatches(io)) {
    for (const line of batch) {
      size += line.length + 2
      if (size > io.limits.maxListingBytes) throw new ProtocolError(`listing longer than the limit of ${io.limits.maxListingBytes} bytes`)
      lines.push(line)
    }
  }
  return lines
}

/** statusText: the text of a single-line status reply. */
export function statusText(reply: CodedReply): string {
  return reply.lines.join(' ')
}
