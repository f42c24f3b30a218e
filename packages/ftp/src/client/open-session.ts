import { Command, Connection, InvalidStateError, isLoopbackHost, type ConnectionIo } from '@netc/transport'
import { clearCommandChannel } from './clear-command-channel.ts'
import { createFtpReplyError, FtpReplyError } from '../ftp-reply-error.ts'
import { parseFeat } from '../parsers/parse-feat.ts'
import type { ResolvedFtpOptions } from './ftp-client-options.ts'
import { hasFeature, type FtpSession } from './ftp-session.ts'

/**
 * openSession: connects, reads the greeting and logs in (RFC 959 section 5.4, RFC 4217 section 4, RFC
 * 2389, RFC 7151):
 *
 * ```
 * S: 220 ready              C: AUTH TLS  S: 234 ...  (TLS)     explicit FTPS only
 * C: FEAT                   S: 211-Features: ...
 * C: HOST ftp.example.com   S: 220 ...                          when FEAT lists HOST
 * C: USER dave              S: 331 ...   C: PASS ****  S: 230 ...
 * C: OPTS UTF8 ON           S: 200 ...                          when FEAT lists UTF8
 * C: PBSZ 0  S: 200  C: PROT P  S: 200                          FTPS
 * C: CCC                    S: 200 ...   (TLS shutdown)         `ccc: true` (RFC 4217 section 6)
 * C: TYPE I                 S: 200 ...
 * ```
 * On a failure the connection is closed and the error says which step failed.
 */
export async function openSession(options: ResolvedFtpOptions): Promise<FtpSession> {
  const connection = await Connection.open({
    host: options.host,
    port: options.port,
    protocol: 'ftp',
    implicitTls: options.secure === 'implicit',
    connect: options.connect,
    proxy: options.proxy,
    keepAlive: options.keepAlive ? { interval: options.keepAlive, command: Command.of('NOOP') } : undefined,
    createReplyError: createFtpReplyError,
    encoding: options.encoding ?? 'utf8',
    ...pick(options),
  })
  const session: FtpSession = {
    connection,
    options,
    features: new Map(),
    passiveCommand: 'EPSV',
    activeCommand: 'EPRT',
    type: undefined,
    // Through a proxy the transport knows no remote address (the peer is the proxy): the host is used.
    remoteAddress: connection.remoteAddress,
    localAddress: connection.localAddress,
    protectData: false,
  }
  try {
    await connection.run((io) => login(io, session), { signal: options.signal })
    return session
  } catch (error) {
    connection.destroy(error instanceof Error ? error : undefined)
    throw error
  }
}

function pick(options: ResolvedFtpOptions): Partial<Parameters<typeof Connection.open>[0]> {
  const picked: Partial<Parameters<typeof Connection.open>[0]> = {}
  if (options.tls !== undefined) picked.tls = options.tls
  if (options.timeouts !== undefined) picked.timeouts = options.timeouts
  if (options.limits !== undefined) picked.limits = options.limits
  if (options.debug !== undefined) picked.debug = options.debug
  if (options.signal !== undefined) picked.signal = options.signal
  if (options.family !== undefined) picked.family = options.family
  return picked
}

async function login(io: ConnectionIo, session: FtpSession): Promise<void> {
  const { options } = session
  io.expect(await io.readCodedReply({ phase: 'greeting' }), 2)
  if (options.secure === 'explicit') {
    const auth = Command.of('AUTH', 'TLS')
    await io.send(auth)
    io.expect(await io.readCodedReply(), 234, auth)
    const unwrappable = options.ccc === true || options.ccc === 'later'
    await io.upgradeTls(undefined, { unwrappable })
    session.unwrappableTls = unwrappable
  }
  session.features = await readFeatures(io)
  if (hasFeature(session, 'HOST') && !/^[\d.]+$|:/.test(options.host)) await optional(io, Command.of('HOST', options.host))
  assertSafeAuth(session)
  await sendCredentials(io, session)
  if (hasFeature(session, 'UTF8') && (options.encoding ?? 'utf8') === 'utf8') await optional(io, Command.of('OPTS', 'UTF8', 'ON'))
  if (options.secure !== false) {
    await command(io, Command.of('PBSZ', 0))
    await command(io, Command.of('PROT', 'P'))
    session.protectData = true
  }
  if (options.ccc === true) await clearCommandChannel(io, session)
  await command(io, Command.of('TYPE', 'I'))
  session.type = 'I'
  if (options.path !== undefined) await command(io, Command.of('CWD', options.path))
}

async function readFeatures(io: ConnectionIo): Promise<Map<string, string>> {
  await io.send(Command.of('FEAT'))
  const reply = await io.readCodedReply()
  return reply.code === 211 ? new Map(parseFeat(reply.lines)) : new Map()
}

async function sendCredentials(io: ConnectionIo, session: FtpSession): Promise<void> {
  const { user, password } = session.options
  const userCommand = Command.of('USER', user)
  await io.send(userCommand)
  const first = await io.readCodedReply()
  if (first.code === 230 || first.code === 202) return
  if (first.code !== 331 && first.code !== 332) throw loginError(first.code, first.lines, user, userCommand)
  const passCommand = Command.secret('PASS', password)
  await io.send(passCommand)
  const second = await io.readCodedReply()
  if (second.code === 230 || second.code === 202) return
  throw loginError(second.code, second.lines, user, passCommand)
}

function loginError(code: number, lines: readonly string[], user: string, sent: Command): Error {
  const text = `${code} ${lines.join(' ')}`.trim()
  if (code < 400) return new FtpReplyError({ replyCode: code, lines, command: sent.toLog() }, `cannot log in as ${user}: unexpected reply ${text}`)
  return new FtpReplyError({ replyCode: code, lines, command: sent.toLog() }, `cannot log in as ${user}: ${text}`)
}

/** DESIGN.md principle 8: no password in cleartext to a host that is not loopback, unless allowed by name. */
function assertSafeAuth(session: FtpSession): void {
  const { options, connection } = session
  if (connection.secure || options.allowInsecureAuth === true || options.user === 'anonymous' || options.user === 'ftp') return
  // The name the caller gave decides, not the socket's peer: through a proxy seam the peer is the proxy.
  if (isLoopbackHost(options.host)) return
  throw new InvalidStateError(
    `refusing to send the password for ${options.user} in cleartext to ${options.host}: use secure: 'explicit' or 'implicit', or allowInsecureAuth: true`,
  )
}

async function command(io: ConnectionIo, sent: Command): Promise<void> {
  await io.send(sent)
  io.expect(await io.readCodedReply(), 2, sent)
}

/** A command whose refusal does not matter (HOST, OPTS UTF8 ON: pure-ftpd lists UTF8 yet answers 504). */
async function optional(io: ConnectionIo, sent: Command): Promise<void> {
  await io.send(sent)
  const reply = await io.readCodedReply()
  if (reply.code >= 200 && reply.code < 600) return
  io.expect(reply, 2, sent)
}
