import type { Duplex } from 'node:stream'
import type { ConnectFunction, ConnectOptions } from '../connection/connect-socket.ts'
import { startTls, type TlsSettings } from '../connection/start-tls.ts'
import { parseHttpConnectResponse } from './parse-http-connect-response.ts'
import { ProxyError } from './proxy-error.ts'
import { describeProxy, type HttpProxySettings } from './proxy-settings.ts'
import { reachProxy, remainingTime } from './reach-proxy.ts'
import { readProxyAnswer } from './read-proxy-answer.ts'

/** Options of `createHttpConnectConnect`: the proxy, and how to reach it. */
export interface HttpConnectOptions extends Omit<HttpProxySettings, 'type'> {
  /** The seam that opens the stream to the proxy itself (default TCP). */
  connect?: ConnectFunction | undefined
  /** The longest answer to CONNECT accepted, in bytes (default 16 KiB). */
  maxResponseBytes?: number | undefined
}

/**
 * createHttpConnectConnect: a `ConnectFunction` that tunnels through an HTTP proxy with CONNECT
 * (RFC 9110 section 9.3.6), with Basic proxy authentication (RFC 9110 section 11.7.1, RFC 7617):
 *
 * ```
 * C: CONNECT mail.example.com:25 HTTP/1.1
 * C: Host: mail.example.com:25
 * C: Proxy-Authorization: Basic ZGF2ZTpzZWNyZXQ=
 * S: HTTP/1.1 200 Connection established
 * S: (blank line, then the target's bytes: 220 mail.example.com ESMTP)
 * ```
 * A 2xx opens the tunnel; bytes that came after the blank line stay in the stream for the protocol.
 * Errors: `ProxyError` (a `ConnectionError`, with the `status`) for any other status, `ProtocolError` for
 * an answer that is not HTTP, `TimeoutError` (phase `connect`) for a proxy that stalls, `ConnectionError`
 * for a proxy that cannot be reached. Credentials never appear in messages.
 */
export function createHttpConnectConnect(options: HttpConnectOptions): ConnectFunction {
  const label = describeProxy({ ...options, type: 'http' })
  const authorization =
    options.username === undefined ? undefined : Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')
  return async (target) => {
    const started = Date.now()
    let socket = await reachProxy(options.connect, options, label, target)
    try {
      if (options.tls) socket = await startTls(socket, tlsSettings(options.tls), { host: options.host, timeout: remainingTime(target.timeout, started), signal: target.signal })
      return await tunnel(socket, target, { label, authorization, started, maxBytes: options.maxResponseBytes ?? 16 * 1024 })
    } catch (error) {
      socket.destroy()
      throw error
    }
  }
}

async function tunnel(
  socket: Duplex,
  target: ConnectOptions,
  context: { label: string; authorization: string | undefined; started: number; maxBytes: number },
): Promise<Duplex> {
  const authority = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`]
  if (context.authorization !== undefined) lines.push(`Proxy-Authorization: Basic ${context.authorization}`)
  socket.write(`${lines.join('\r\n')}\r\n\r\n`)
  const what = `proxy ${context.label} (CONNECT ${authority})`
  const answer = await readProxyAnswer(socket, (bytes) => parseHttpConnectResponse(bytes, context.maxBytes), {
    label: what,
    timeout: remainingTime(target.timeout, context.started),
    signal: target.signal,
  })
  if (answer.status < 200 || answer.status > 299) {
    const hint = answer.status === 407 ? (context.authorization === undefined ? ' (it wants credentials)' : ' (credentials refused)') : ''
    throw new ProxyError(`proxy ${context.label} refused CONNECT ${authority}: ${answer.status} ${answer.reason}${hint}`.trim(), {
      proxy: context.label,
      status: answer.status,
    })
  }
  if (answer.rest.length > 0) socket.unshift(answer.rest)
  return socket
}

function tlsSettings(tls: true | TlsSettings): TlsSettings {
  return tls === true ? {} : tls
}
