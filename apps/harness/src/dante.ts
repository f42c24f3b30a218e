import { writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { DaemonUser } from './daemon.ts'
import { freePorts } from './free-port.ts'
import type { ManagedProcess } from './process.ts'
import { ensureSystemUser } from './system-users.ts'
import { startDaemon } from './daemon-start.ts'

/** The unix account that dante's `username` method checks (RFC 1929 user/password against the system). */
export const proxyUser: DaemonUser = { user: 'netcproxy', pass: 'netc-proxy-1' }

/** A proxy of the harness: where it listens, its URL for a netc `proxy` option, how to stop it. */
export interface ProxyDaemon {
  readonly host: string
  readonly port: number
  /** The user that logs in, when the proxy asks for one. */
  readonly user?: DaemonUser
  /** `socks5h://user:pass@127.0.0.1:PORT` or `http://...`, credentials percent-encoded. */
  readonly url: string
  readonly directory: string
  stop(): Promise<void>
}

/** Options for {@link startDante}. */
export interface DanteOptions {
  /** `'username'`: RFC 1929 user/password of a unix account (`proxyUser`); `'none'` (default): no login. */
  readonly auth?: 'none' | 'username'
  /** Destination ports that the proxy refuses (a `socks block` rule: SOCKS5 reply 2, "not allowed"). */
  readonly blockPorts?: readonly number[]
}

function danteConfig(port: number, method: 'none' | 'username', blockPorts: readonly number[]): string {
  const blocks = blockPorts.map((blocked) => `socks block {\n  from: 127.0.0.0/8 to: 127.0.0.0/8 port = ${blocked}\n  log: error connect\n}\n`)
  return `# netc harness: a private dante SOCKS5 server on loopback
logoutput: stderr
internal: 127.0.0.1 port = ${port}
external: 127.0.0.1
clientmethod: none
socksmethod: ${method}
user.privileged: root
user.unprivileged: nobody
client pass {
  from: 127.0.0.0/8 to: 0.0.0.0/0
  log: error
}
${blocks.join('')}socks pass {
  from: 127.0.0.0/8 to: 127.0.0.0/8
  command: connect
  log: error connect
}
`
}

/**
 * Starts dante (danted 1.4) as a SOCKS5 proxy on 127.0.0.1 that may connect to loopback only; with
 * `auth: 'username'` it asks RFC 1929 user/password and checks them against the unix account `proxyUser`.
 */
export async function startDante(options: DanteOptions = {}): Promise<ProxyDaemon> {
  const method = options.auth ?? 'none'
  return startDaemon('dante', async (scope) => {
    const directory = scope.directory
    if (method === 'username') await ensureSystemUser(proxyUser.user, proxyUser.pass)
    const [port] = await freePorts(1)
    const config = join(directory, 'danted.conf')
    await writeFile(config, danteConfig(port!, method, options.blockPorts ?? []), { mode: 0o600 })
    const child = scope.spawn('/usr/sbin/danted', ['-f', config, '-p', join(directory, 'danted.pid')], { name: 'danted', logFile: join(directory, 'danted.out') })
    // A SOCKS5 greeting offering "no authentication" and user/password: danted answers 05 00, 05 02 or 05 ff.
    await waitForProxyAnswer({ port: port!, probe: Buffer.from([5, 2, 0, 2]), answer: (received) => received[0] === 5, process: child })
    const credentials = method === 'username' ? `${encodeURIComponent(proxyUser.user)}:${encodeURIComponent(proxyUser.pass)}@` : ''
    return {
      host: '127.0.0.1',
      port: port!,
      ...(method === 'username' ? { user: proxyUser } : {}),
      url: `socks5h://${credentials}127.0.0.1:${port!}`,
      directory,
      stop: scope.stop,
    }
  })
}

/** Options for {@link waitForProxyAnswer}. */
export interface WaitForProxyAnswerOptions {
  readonly port: number
  /** The bytes that make the proxy speak (proxies do not greet). */
  readonly probe: Buffer
  /** True once the bytes received so far are the proxy's answer. */
  readonly answer: (received: Buffer) => boolean
  /** Fail at once, with its log, when this process ends while we wait. */
  readonly process: ManagedProcess
  readonly timeoutMs?: number
}

/** Waits until a proxy answers `probe` on 127.0.0.1:`port`; retries every 50 ms up to `timeoutMs` (default 15 s). */
export async function waitForProxyAnswer(options: WaitForProxyAnswerOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000)
  let last: unknown
  while (Date.now() < deadline) {
    if (options.process.hasExited()) throw new Error(`${options.process.name} ended while starting:\n${options.process.logTail()}`)
    try {
      return await tryProbe(options)
    } catch (error) {
      last = error
      await sleep(50)
    }
  }
  throw new Error(`${options.process.name} did not answer on port ${options.port}: ${String(last)}\n${options.process.logTail()}`)
}

function tryProbe(options: WaitForProxyAnswerOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: options.port })
    let received = Buffer.alloc(0)
    socket.setTimeout(2_000, () => socket.destroy(new Error('no answer within 2 s')))
    socket.on('error', reject)
    socket.on('close', () => reject(new Error(`closed, got ${JSON.stringify(received.toString('latin1'))}`)))
    socket.on('connect', () => socket.write(options.probe))
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (!options.answer(received)) return
      socket.destroy()
      resolve()
    })
  })
}
