import { articleOf, numbersIn, reply, replyBlock, type SessionContext } from './session-context.ts'

type Handler = (context: SessionContext, args: string[]) => Promise<void>

const groupLine = (context: SessionContext, name: string): string | undefined => {
  const group = context.store.groups.get(name)
  if (group === undefined) return undefined
  const numbers = [...group.articles.keys()]
  const first = numbers.length === 0 ? group.next : Math.min(...numbers)
  const last = numbers.length === 0 ? group.next - 1 : Math.max(...numbers)
  context.state.group = group
  context.state.current = numbers.length === 0 ? undefined : first
  return `211 ${numbers.length} ${first} ${last} ${name}`
}

const retrieval = (code: number, what: 'article' | 'head' | 'body' | 'status'): Handler => async (context, [arg]) => {
  const found = articleOf(context, arg)
  if (typeof found === 'string') return reply(context, found)
  const { number, article } = found
  const status = `${code} ${number} ${article.messageId} ${what}`
  if (what === 'status') return reply(context, status)
  const head = article.raw.subarray(0, article.raw.length - article.body.length - 2)
  const block = what === 'article' ? article.raw : what === 'head' ? head : article.body
  return replyBlock(context, status, block)
}

const move = (direction: 1 | -1): Handler => async (context) => {
  const { state } = context
  if (state.group === undefined) return reply(context, '412 No newsgroup selected')
  if (state.current === undefined) return reply(context, '420 Current article number is invalid')
  const numbers = [...state.group.articles.keys()].sort((a, b) => a - b)
  const current = state.current
  const target = direction === 1 ? numbers.find((n) => n > current) : numbers.reverse().find((n) => n < current)
  if (target === undefined) return reply(context, direction === 1 ? '421 No next article in this group' : '422 No previous article in this group')
  state.current = target
  const article = state.group.articles.get(target)
  return reply(context, `223 ${target} ${article?.messageId ?? ''} retrieved`)
}

const overview = (context: SessionContext, arg: string | undefined): Promise<void> => {
  const { state, store } = context
  if (arg?.startsWith('<') === true) {
    const article = store.byMessageId.get(arg)
    if (article === undefined) return reply(context, '430 No article with that message-id')
    return replyBlock(context, '224 Overview information follows', [store.overviewLine(0, article)])
  }
  if (state.group === undefined) return reply(context, '412 No newsgroup selected')
  const group = state.group
  const numbers = numbersIn(group, arg, state.current)
  if (numbers === undefined) return reply(context, '501 Syntax error')
  if (numbers.length === 0) return reply(context, arg === undefined ? '420 Current article number is invalid' : '423 No articles in that range')
  return replyBlock(context, '224 Overview information follows', numbers.map((n) => store.overviewLine(n, group.articles.get(n)!)))
}

const hdr = (okCode: number): Handler => async (context, [field, arg]) => {
  const { state, store } = context
  if (field === undefined) return reply(context, '501 Syntax error')
  if (arg?.startsWith('<') === true) {
    const article = store.byMessageId.get(arg)
    if (article === undefined) return reply(context, '430 No article with that message-id')
    return replyBlock(context, `${okCode} Headers follow`, [`0 ${store.header(article, field)}`])
  }
  if (state.group === undefined) return reply(context, '412 No newsgroup selected')
  const group = state.group
  const numbers = numbersIn(group, arg, state.current)
  if (numbers === undefined) return reply(context, '501 Syntax error')
  if (numbers.length === 0) return reply(context, '423 No articles in that range')
  return replyBlock(context, `${okCode} Headers follow`, numbers.map((n) => `${n} ${store.header(group.articles.get(n)!, field)}`))
}

/** readerHandlers: GROUP, LISTGROUP, ARTICLE, HEAD, BODY, STAT, NEXT, LAST, OVER, XOVER, HDR, XHDR (RFC 3977 sections 6 and 8). */
export const readerHandlers: Readonly<Record<string, Handler>> = {
  GROUP: async (context, [name]) => reply(context, (name === undefined ? undefined : groupLine(context, name)) ?? `411 No such group ${name ?? ''}`),
  LISTGROUP: async (context, [name, range]) => {
    const status = name === undefined ? (context.state.group === undefined ? undefined : groupLine(context, context.state.group.name)) : groupLine(context, name)
    if (status === undefined) return reply(context, name === undefined ? '412 No newsgroup selected' : `411 No such group ${name}`)
    const numbers = numbersIn(context.state.group!, range ?? '0-', undefined) ?? []
    return replyBlock(context, status, numbers.map(String))
  },
  ARTICLE: retrieval(220, 'article'),
  HEAD: retrieval(221, 'head'),
  BODY: retrieval(222, 'body'),
  STAT: retrieval(223, 'status'),
  NEXT: move(1),
  LAST: move(-1),
  OVER: async (context, [arg]) => (context.settings.quirks.noOver === true ? reply(context, '500 What?') : overview(context, arg)),
  XOVER: async (context, [arg]) => overview(context, arg),
  HDR: async (context, args) => (context.settings.quirks.noHdr === true ? reply(context, '500 What?') : hdr(225)(context, args)),
  XHDR: hdr(221),
}
