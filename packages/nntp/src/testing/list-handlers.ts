import { reply, replyBlock, type SessionContext } from './session-context.ts'
import type { StoredGroup } from './news-store.ts'

type Handler = (context: SessionContext, args: string[]) => Promise<void>

/** wildmatMatches: RFC 3977 section 4 wildmats: `*`, `?`, comma-separated, `!` negation (the last match wins). */
export function wildmatMatches(wildmat: string, name: string): boolean {
  let matched = false
  for (const part of wildmat.split(',')) {
    const negated = part.startsWith('!')
    const pattern = negated ? part.slice(1) : part
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`)
    if (regex.test(name)) matched = !negated
  }
  return matched
}

const pad = (n: number): string => String(n).padStart(10, '0')

const activeLine = (group: StoredGroup): string => {
  const numbers = [...group.articles.keys()]
  const low = numbers.length === 0 ? group.next : Math.min(...numbers)
  const high = numbers.length === 0 ? group.next - 1 : Math.max(...numbers)
  return `${group.name} ${pad(high)} ${pad(low)} ${group.status}`
}

const groupsMatching = (context: SessionContext, wildmat: string | undefined): StoredGroup[] =>
  [...context.store.groups.values()].filter((group) => wildmat === undefined || wildmatMatches(wildmat, group.name))

/** The LIST keywords the fake server knows, and their answers (RFC 3977 section 7.6, RFC 6048). */
const lists: Readonly<Record<string, (context: SessionContext, arg: string | undefined) => Promise<void>>> = {
  ACTIVE: (context, arg) => replyBlock(context, '215 list of newsgroups follows', groupsMatching(context, arg).map(activeLine)),
  NEWSGROUPS: (context, arg) =>
    replyBlock(context, '215 descriptions follow', groupsMatching(context, arg).map((group) => `${group.name}\t${group.description}`)),
  'ACTIVE.TIMES': (context, arg) =>
    replyBlock(
      context,
      '215 group creations follow',
      groupsMatching(context, arg).map((group) => `${group.name} ${Math.floor(group.created.getTime() / 1000)} news@netc.test`),
    ),
  'DISTRIB.PATS': (context) => replyBlock(context, '215 distribution patterns follow', ['10:local.*:local', '5:*:world']),
  'OVERVIEW.FMT': (context) =>
    replyBlock(context, '215 Order of fields in overview database', ['Subject:', 'From:', 'Date:', 'Message-ID:', 'References:', ':bytes', ':lines', 'Xref:full']),
  HEADERS: (context) => replyBlock(context, '215 headers supported', [':', ':bytes', ':lines']),
}

/** newGroupsSince: the `yyyymmdd hhmmss` arguments of NEWGROUPS/NEWNEWS as a Date (two-digit years as RFC 3977 section 7.3.2 says). */
function since(day: string | undefined, time: string | undefined): Date | undefined {
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})$/.exec(day ?? '')
  const clock = /^(\d{2})(\d{2})(\d{2})$/.exec(time ?? '')
  if (match === null || clock === null) return undefined
  let year = Number(match[1])
  if ((match[1] as string).length === 2) year += year <= 49 ? 2000 : 1900
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(clock[1]), Number(clock[2]), Number(clock[3])))
}

const stamp = (date: Date): string => date.toISOString().replace(/[-T:]/g, '').slice(0, 14)

/** listHandlers: LIST, NEWGROUPS, NEWNEWS, DATE, HELP (RFC 3977 section 7). */
export const listHandlers: Readonly<Record<string, Handler>> = {
  LIST: async (context, [keyword, arg]) => {
    const handler = lists[(keyword ?? 'ACTIVE').toUpperCase()]
    return handler === undefined ? reply(context, '501 Unknown LIST keyword') : handler(context, arg)
  },
  NEWGROUPS: async (context, [day, time]) => {
    const from = since(day, time)
    if (from === undefined) return reply(context, '501 Syntax error')
    const groups = [...context.store.groups.values()].filter((group) => group.created >= from)
    return replyBlock(context, '231 list of new newsgroups follows', groups.map(activeLine))
  },
  NEWNEWS: async (context, [wildmat, day, time]) => {
    const from = since(day, time)
    if (wildmat === undefined || from === undefined) return reply(context, '501 Syntax error')
    const ids = [...context.store.byMessageId.values()]
      .filter((article) => article.arrived >= from && [...article.numbers.keys()].some((name) => wildmatMatches(wildmat, name)))
      .map((article) => article.messageId)
    return replyBlock(context, '230 list of new articles by message-id follows', ids)
  },
  DATE: async (context) => reply(context, `111 ${stamp(new Date())}`),
  HELP: async (context) => replyBlock(context, '100 Help text follows', ['  ARTICLE [message-ID|number]', '  GROUP newsgroup', '  QUIT']),
}
