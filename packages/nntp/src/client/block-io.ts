import { ProtocolError, type CodedReply, type Command, type ConnectionIo, type Expectation } from '@netc/transport'
import { LineSplitter } from '../parse/line-splitter.ts'

/** exchange: sends one command and reads its status line, checked against `expect` (RFC 3977 section 3.2). */
export async function exchange(io: ConnectionIo, command: Command, expect: Expectation, options: { sensitive?: boolean } = {}): Promise<CodedReply> {
  await io.send(command)
  const reply = await io.readCodedReply({ sensitive: options.sensitive === true })
  return io.expect(reply, expect, command)
}

/**
 * readBlockBatches: the lines of the multi-line block after a status line (RFC 3977 section 3.1.1),
 * unstuffed, in batches: every line that a received chunk completes, at once (never an empty batch). One
 * step per chunk instead of one per line; a batch holds no more than a chunk's worth of lines. Leaving
 * the loop early drains the rest of the block.
 */
export async function* readBlockBatches(io: ConnectionIo): AsyncGenerator<string[], void, undefined> {
  const splitter = new LineSplitter(io.limits.maxLineLength)
  for await (const chunk of io.readDotBody()) {
    const lines = splitter.push(chunk)
    if (lines.length > 0) yield lines
  }
  const rest = splitter.end()
  if (rest.length > 0) yield rest
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
