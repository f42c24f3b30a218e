import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { Duplex } from 'node:stream'
import type { SocksClientOptions } from 'socks'
import type { ConnectFunction, ConnectOptions } from '../connection/connect-socket.ts'
import { AbortError, ConnectionError, ProtocolError, TimeoutError } from '../errors/index.ts'
import { messageOf } from '../errors/message-of.ts'
import { ProxyError } from './proxy-error.ts'
import { describeProxy, type SocksProxySettings } from './proxy-settings.ts'
import { reachProxy, remainingTime } from './reach-proxy.ts'

/** Options of `createSocksConnect`: the proxy, and how to reach it. */
export interface SocksConnectOptions extends Omit<SocksProxySettings, 'type'> {
  /** The seam that opens the stream to the proxy itself (default TCP). */
  connect?: ConnectFunction | undefined
}

/** RFC 1928 section 6: the REP field of a refusal. */
const socksReplies: Record<string, number> = {
  Failure: 1,
  NotAllowed: 2,
  NetworkUnreachable: 3,
  HostUnreachable: 4,
  ConnectionRefused: 5,
  TTLExpired: 6,
  CommandNotSupported: 7,
  AddressNotSupported: 8,
}

/**
 * createSocksConnect: a `ConnectFunction` that tunnels through a SOCKS5 proxy (RFC 1928) with the `socks`
 * package, loaded only when a connection first goes through it. The proxy resolves the target's name
 * (`remoteDns`, the default: no DNS query leaves this machine); user/password authentication (RFC 1929)
 * when `username` is set.
 *
 * ```
 * C: 05 02 00 02          S: 05 02       (user/password, please)
 * C: 01 04 dave 06 secret S: 01 00       (accepted)
 * C: 05 01 00 03 10 mail.example.com 00 19   S: 05 00 00 01 ...  (connected: the target speaks next)
 * ```
 * Errors: `ProxyError` (a `ConnectionError`, `status` = the REP code) when the proxy refuses the
 * credentials or the target, `ProtocolError` for an answer that is not SOCKS5, `TimeoutError` (phase
 * `connect`), `ConnectionError` for a proxy that cannot be reached, `AbortError`. Credentials never appear
 * in messages or causes.
 */
export function createSocksConnect(options: SocksConnectOptions): ConnectFunction {
  const label = describeProxy({ ...options, type: 'socks5' })
  return async (target) => {
    const started = Date.now()
    const destination = options.remoteDns === false ? await resolveLocally(target) : target.host
    const socket = await reachProxy(options.connect, options, label, target)
    const { SocksClient } = await import('socks')
    const onAbort = (): void => {
      socket.destroy()
    }
    target.signal?.addEventListener('abort', onAbort, { once: true })
    const socksOptions: SocksClientOptions = {
      command: 'connect',
      destination: { host: destination, port: target.port },
      proxy: { host: options.host, port: options.port, type: 5, userId: options.username, password: options.password },
      timeout: remainingTime(target.timeout, started) || 2 ** 31 - 1,
      existing_socket: socket,
    }
    try {
      await SocksClient.createConnection(socksOptions)
      return await settle(socket)
    } catch (error) {
      socket.destroy()
      if (target.signal?.aborted) throw new AbortError('connect aborted', { cause: target.signal.reason })
      throw translate(error, label, `${target.host}:${target.port}`, socksOptions.timeout ?? 0)
    } finally {
      target.signal?.removeEventListener('abort', onAbort)
    }
  }
}

/**
 * settle: the `socks` package resumes the socket on the next turn and emits the bytes that came with its
 * last answer as a 'data' event: with nobody listening yet (an FTP data connection is read only after
 * the 150 reply) they would be lost. Collect them, then hand back a paused socket with them unshifted.
 */
async function settle(socket: Duplex): Promise<Duplex> {
  const early: Buffer[] = []
  const collect = (chunk: Buffer): void => {
    early.push(chunk)
  }
  socket.on('data', collect)
  await new Promise((resolve) => setImmediate(resolve))
  socket.off('data', collect)
  socket.pause()
  if (early.length > 0) socket.unshift(Buffer.concat(early))
  return socket
}

async function resolveLocally(target: ConnectOptions): Promise<string> {
  if (isIP(target.host) !== 0) return target.host
  try {
    return (await lookup(target.host, { family: target.family ?? 0 })).address
  } catch (error) {
    throw new ConnectionError(`cannot resolve ${target.host}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error })
  }
}

/** The `socks` package's error (its `options` hold the password: never kept as a cause) into netc's. */
function translate(error: unknown, label: string, where: string, timeout: number): Error {
  const text = messageOf(error)
  const cause = new Error(text)
  const refused = /rejected connection - (\w+)/.exec(text)
  if (refused) {
    const status = socksReplies[refused[1] ?? '']
    return new ProxyError(`proxy ${label} refused to connect to ${where}: ${refused[1] ?? ''}`, { proxy: label, status, cause })
  }
  if (text.includes('Authentication failed')) return new ProxyError(`proxy ${label} refused the credentials`, { proxy: label, cause })
  if (text.includes('no accepted authentication type')) {
    return new ProxyError(`proxy ${label} accepts none of the offered authentication methods (does it want credentials?)`, { proxy: label, cause })
  }
  if (text.includes('timed out')) return new TimeoutError(`proxy ${label}: no SOCKS5 answer within ${timeout} ms`, { phase: 'connect', timeout, cause })
  if (/invalid|unknown/i.test(text)) return new ProtocolError(`proxy ${label} did not answer as a SOCKS5 proxy: ${text}`, { cause })
  return new ConnectionError(`proxy ${label} (to ${where}): ${text}`, { cause })
}

