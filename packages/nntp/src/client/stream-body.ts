import type { ConnectionIo } from '@netc/transport'
import type { ArticleId } from '../args/nntp-arguments.ts'
import { retrievalCommand } from './article-commands.ts'
import { exchange } from './block-io.ts'
import type { Pipe } from './pipe.ts'

/**
 * streamBody: BODY with the body handed over chunk by chunk as it arrives (RFC 3977 section 6.2.3),
 * unstuffed, in constant memory. When the consumer leaves, the rest of the body is drained.
 *
 * ```
 * C: BODY 3
 * S: 222 3 <third@example.org> body
 * S: (body bytes ...) .
 * ```
 */
export async function streamBody(io: ConnectionIo, id: ArticleId | undefined, pipe: Pipe<Buffer>): Promise<void> {
  await exchange(io, retrievalCommand('BODY', id), 222, { block: true })
  for await (const chunk of io.readDotBody()) if (!(await pipe.push(chunk))) break
}
