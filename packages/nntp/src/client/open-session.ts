import {
  isLoopbackHost,
  Command,
  Connection,
  InvalidStateError,
  chooseSaslMechanism,
  createSaslMechanism,
  type ConnectionIo,
  type SaslCredentials,
} from '@netc/transport'
import { createNntpReplyError } from '../nntp-reply-error.ts'
import type { NntpCapabilities } from '../parse/parse-capabilities.ts'
import { authinfoSasl, authinfoUser } from './authinfo-commands.ts'
import { type NntpAuth, type ResolvedNntpOptions } from './nntp-client-options.ts'
import { compress, modeReader, readCapabilities, startTls } from './session-commands.ts'

/** OpenedSession: a connection greeted, secured, switched to reader mode and logged in as asked. */
export interface OpenedSession {
  connection: Connection
  capabilities: NntpCapabilities
  postingAllowed: boolean
  authenticated: boolean
}

/**
 * openSession: opens the connection and runs the opening dialogue (RFC 3977 section 5.1, RFC 4642,
 * RFC 4643): greeting (200 posting allowed, 201 not), CAPABILITIES, MODE READER when needed, STARTTLS as
 * the TLS mode says, AUTHINFO; CAPABILITIES again after each step that changes them. Any failure
 * destroys the connection before it is thrown.
 */
export async function openSession(options: ResolvedNntpOptions): Promise<OpenedSession> {
  const connection = await Connection.open({
    host: options.host,
    port: options.port,
    protocol: 'nntp',
    implicitTls: options.tls === 'implicit',
    tls: options.tlsOptions,
    connect: options.connect,
    proxy: options.proxy,
    keepAlive: options.keepAlive ? { interval: options.keepAlive, command: Command.of('DATE'), expect: 111 } : undefined,
    timeouts: options.timeouts,
    limits: options.limits,
    debug: options.debug,
    signal: options.signal,
    family: options.family,
    createReplyError: createNntpReplyError,
  })
  try {
    return await connection.run((io) => handshake(io, connection, options), { signal: options.signal })
  } catch (error) {
    connection.destroy(error instanceof Error ? error : undefined)
    throw error
  }
}

async function handshake(io: ConnectionIo, connection: Connection, options: ResolvedNntpOptions): Promise<OpenedSession> {
  const greeting = io.expect(await io.readCodedReply({ phase: 'greeting' }), [200, 201])
  let postingAllowed = greeting.code === 200
  let capabilities = await readCapabilities(io)
  if (options.readerMode === true || (options.readerMode === undefined && capabilities.modeReader && !capabilities.reader)) {
    postingAllowed = await modeReader(io)
    capabilities = await readCapabilities(io)
  }
  const wantsTls = options.tls === 'required' || (options.tls === 'opportunistic' && capabilities.startTls)
  if (wantsTls && !connection.secure) {
    await startTls(io, options.tlsOptions)
    capabilities = await readCapabilities(io)
  }
  let authenticated = false
  if (options.auth !== undefined) {
    await login(io, connection, options, options.auth, capabilities)
    capabilities = await readCapabilities(io)
    postingAllowed = postingAllowed || capabilities.post
    authenticated = true
  }
  if (options.compress === true && capabilities.compress.includes('DEFLATE')) await compress(io)
  return { connection, capabilities, postingAllowed, authenticated }
}

const CLEARTEXT = new Set(['PLAIN', 'LOGIN'])

/**
 * login: AUTHINFO USER/PASS when the server offers it (the NNTP norm: INN advertises SCRAM through Cyrus
 * SASL even when Cyrus has no users, while its readers.conf checks AUTHINFO USER); AUTHINFO SASL with
 * the mechanism asked for, or the strongest one offered when AUTHINFO USER is not. Cleartext
 * credentials go only over TLS, to loopback, or with `allowInsecureAuth` (DESIGN.md principle 8).
 */
export async function login(io: ConnectionIo, connection: Connection, options: ResolvedNntpOptions, auth: NntpAuth, capabilities: NntpCapabilities): Promise<void> {
  const credentials: SaslCredentials = { username: auth.user }
  if (auth.pass !== undefined) credentials.password = auth.pass
  if (auth.accessToken !== undefined) credentials.accessToken = auth.accessToken
  if (auth.authorizationId !== undefined) credentials.authorizationId = auth.authorizationId
  const userOffered = capabilities.authinfo === undefined || capabilities.authinfo.user
  const offered = capabilities.authinfo?.sasl === true ? capabilities.sasl : []
  const mechanism = auth.mechanism ?? (userOffered && auth.pass !== undefined ? undefined : chooseSaslMechanism(offered, credentials))
  if (mechanism === undefined) {
    assertMaySendCleartext(connection, options)
    await authinfoUser(io, auth.user, auth.pass)
    return
  }
  if (CLEARTEXT.has(mechanism.toUpperCase())) assertMaySendCleartext(connection, options)
  await authinfoSasl(io, createSaslMechanism(mechanism, credentials, { host: options.host, port: options.port }))
}

function assertMaySendCleartext(connection: Connection, options: ResolvedNntpOptions): void {
  if (connection.secure || isLoopbackHost(options.host) || options.allowInsecureAuth === true) return
  throw new InvalidStateError(
    `refusing to send credentials in cleartext to ${options.host}: use TLS (tls: 'required') or set allowInsecureAuth: true`,
  )
}
