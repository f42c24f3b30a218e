import { reply, replyBlock, type SessionContext } from './session-context.ts'

type Handler = (context: SessionContext, args: string[]) => Promise<void>

/** capabilityLines: what the fake server advertises now (RFC 3977 section 5.2), as the session stands. */
export function capabilityLines(context: SessionContext): string[] {
  const { settings, state, session } = context
  const transit = settings.quirks.modeReader === true && !state.reader
  const lines = ['VERSION 2', 'IMPLEMENTATION netc NntpTestServer']
  if (transit) lines.push('IHAVE', 'MODE-READER', 'STREAMING', 'LIST ACTIVE NEWSGROUPS')
  else {
    lines.push('READER', 'IHAVE', 'STREAMING', 'NEWNEWS', 'LIST ACTIVE NEWSGROUPS ACTIVE.TIMES DISTRIB.PATS OVERVIEW.FMT HEADERS')
    if (settings.quirks.noOver !== true) lines.push('OVER MSGID')
    if (settings.quirks.noHdr !== true) lines.push('HDR')
    if (settings.posting) lines.push('POST')
  }
  if (settings.starttls && !session.encrypted && !state.authenticated && !session.compressed) lines.push('STARTTLS')
  // RFC 8054 section 2.2.2: no COMPRESS label once a compression layer is active.
  if (settings.compress && !session.compressed) lines.push('COMPRESS DEFLATE')
  if (settings.auth !== undefined && !state.authenticated) {
    const secure = session.encrypted
    lines.push(secure ? 'AUTHINFO USER SASL' : 'AUTHINFO SASL', 'SASL PLAIN')
  }
  return lines
}

async function authinfo(context: SessionContext, [kind, ...rest]: string[]): Promise<void> {
  const { settings, state } = context
  if (settings.auth === undefined) return reply(context, '502 Authentication not available')
  if (state.authenticated) return reply(context, '502 Already authenticated')
  const word = (kind ?? '').toUpperCase()
  if (word === 'USER') {
    pendingUser.set(context, rest.join(' '))
    return reply(context, '381 Enter passphrase')
  }
  if (word === 'PASS') {
    const user = pendingUser.get(context)
    if (user === undefined) return reply(context, '482 Authentication commands issued out of sequence')
    pendingUser.delete(context)
    return succeed(context, user === settings.auth.user && rest.join(' ') === settings.auth.pass)
  }
  if (word === 'SASL' && (rest[0] ?? '').toUpperCase() === 'PLAIN') {
    let response = rest[1]
    if (response === undefined) {
      await reply(context, '383 ')
      response = (await context.session.readLine()) ?? '*'
    }
    if (response === '*') return reply(context, '481 Authentication cancelled')
    const [, user, pass] = Buffer.from(response, 'base64').toString('utf8').split('\0')
    return succeed(context, user === settings.auth.user && pass === settings.auth.pass)
  }
  return reply(context, '503 Mechanism not recognized')
}

const pendingUser = new WeakMap<SessionContext, string>()

function succeed(context: SessionContext, ok: boolean): Promise<void> {
  if (!ok) return reply(context, '481 Authentication failed')
  context.state.authenticated = true
  return reply(context, '281 Authentication accepted')
}

/** sessionHandlers: CAPABILITIES, STARTTLS (RFC 4642), AUTHINFO (RFC 4643), COMPRESS (RFC 8054). QUIT is the server loop's. */
export const sessionHandlers: Readonly<Record<string, Handler>> = {
  CAPABILITIES: async (context) =>
    context.settings.quirks.noCapabilities === true ? reply(context, '500 What?') : replyBlock(context, '101 Capability list:', capabilityLines(context)),
  STARTTLS: async (context) => {
    const { settings, session } = context
    if (!settings.starttls || session.encrypted) return reply(context, '502 STARTTLS not available')
    const injection = settings.quirks.starttlsInjection
    await session.write(`382 Continue with TLS negotiation\r\n${injection ?? ''}`)
    await session.upgradeTls()
  },
  AUTHINFO: authinfo,
  COMPRESS: async (context, [algorithm]) => {
    const { settings, session } = context
    if (!settings.compress) return reply(context, '502 COMPRESS not available')
    if (session.compressed) return reply(context, '502 Compression already active')
    if ((algorithm ?? '').toUpperCase() !== 'DEFLATE') return reply(context, '503 Unknown compression algorithm')
    await reply(context, '206 Compression active')
    await session.startCompression()
  },
}
