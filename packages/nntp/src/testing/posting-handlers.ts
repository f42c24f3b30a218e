import { readBlock, reply, type SessionContext } from './session-context.ts'

type Handler = (context: SessionContext, args: string[]) => Promise<void>

const MESSAGE_ID = /^<[\x21-\x3d\x3f-\x7e]{1,248}>$/

/** postingHandlers: POST, IHAVE (RFC 3977 section 6.3), MODE STREAM, CHECK, TAKETHIS (RFC 4644). */
export const postingHandlers: Readonly<Record<string, Handler>> = {
  POST: async (context) => {
    if (!context.settings.posting) return reply(context, '440 Posting not permitted')
    await reply(context, '340 Input article; end with <CR-LF>.<CR-LF>')
    const article = await readBlock(context)
    if (article === undefined) return
    const stored = context.store.add(article)
    return reply(context, stored === undefined ? '441 Posting failed' : `240 Article received ${stored.messageId}`)
  },
  IHAVE: async (context, [id]) => {
    if (id === undefined || !MESSAGE_ID.test(id)) return reply(context, '501 Syntax error')
    if (context.store.byMessageId.has(id)) return reply(context, '435 Duplicate')
    await reply(context, '335 Send it')
    const article = await readBlock(context)
    if (article === undefined) return
    return reply(context, context.store.add(article) === undefined ? '437 Rejected' : '235 Article transferred OK')
  },
  MODE: async (context, [mode]) => {
    const word = (mode ?? '').toUpperCase()
    if (word === 'READER') {
      context.state.reader = true
      return reply(context, context.settings.posting ? '200 Reader mode, posting permitted' : '201 Reader mode, no posting')
    }
    if (word === 'STREAM') {
      context.state.streaming = true
      return reply(context, '203 Streaming permitted')
    }
    return reply(context, '501 Unknown MODE variant')
  },
  CHECK: async (context, [id]) => {
    if (id === undefined || !MESSAGE_ID.test(id)) return reply(context, '501 Syntax error')
    return reply(context, context.store.byMessageId.has(id) ? `438 ${id}` : `238 ${id}`)
  },
  TAKETHIS: async (context, [id]) => {
    const article = await readBlock(context)
    if (article === undefined) return
    if (id === undefined || !MESSAGE_ID.test(id) || context.store.byMessageId.has(id)) return reply(context, `439 ${id ?? ''}`)
    return reply(context, context.store.add(article) === undefined ? `439 ${id}` : `239 ${id}`)
  },
}
