import { Command, ProtocolError, type ConnectionIo } from '@netc/transport'
import { assertMessageId, assertWildmat } from '../args/nntp-arguments.ts'
import { formatNntpDateTime, parseDateReply } from '../parse/nntp-date-time.ts'
import { parseActiveLine, type ActiveEntry } from '../parse/parse-list-lines.ts'
import { exchange, readBlock, statusText } from './block-io.ts'

/**
 * newGroups: NEWGROUPS (RFC 3977 section 7.3): the groups created since `since`, in LIST ACTIVE form.
 *
 * ```
 * C: NEWGROUPS 20261129 000000 GMT
 * S: 231 list of new newsgroups follows
 * S: misc.new 0000000000 0000000001 y
 * S: .
 * ```
 */
export async function newGroups(io: ConnectionIo, since: Date): Promise<ActiveEntry[]> {
  await exchange(io, Command.of('NEWGROUPS', ...formatNntpDateTime(since)), 231, { block: true })
  return (await readBlock(io)).map(parseActiveLine)
}

/**
 * newNews: NEWNEWS (RFC 3977 section 7.4): the message-ids of articles in groups matching `wildmat`
 * that arrived since `since`.
 *
 * ```
 * C: NEWNEWS misc.* 20261129 000000 GMT
 * S: 230 list of new articles by message-id follows
 * S: <first@example.org>
 * S: .
 * ```
 */
export async function newNews(io: ConnectionIo, wildmat: string, since: Date): Promise<string[]> {
  await exchange(io, Command.of('NEWNEWS', assertWildmat(wildmat), ...formatNntpDateTime(since)), 230, { block: true })
  return (await readBlock(io)).map((line) => {
    const id = line.trim()
    try {
      return assertMessageId(id)
    } catch {
      throw new ProtocolError(`malformed NEWNEWS line: ${JSON.stringify(id.slice(0, 80))}`)
    }
  })
}

/** date: DATE (RFC 3977 section 7.1): the server's clock, `111 yyyymmddhhmmss`. */
export async function date(io: ConnectionIo): Promise<Date> {
  return parseDateReply(statusText(await exchange(io, Command.of('DATE'), 111)))
}

/** help: HELP (RFC 3977 section 7.2): the `100` text, one string per line. */
export async function help(io: ConnectionIo): Promise<string[]> {
  await exchange(io, Command.of('HELP'), 100, { block: true })
  return readBlock(io)
}
