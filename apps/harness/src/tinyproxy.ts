import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DaemonUser } from './daemon.ts'
import { waitForProxyAnswer, type ProxyDaemon } from './dante.ts'
import { freePorts } from './free-port.ts'
import { startDaemon } from './daemon-start.ts'

/** The login that tinyproxy's `BasicAuth` asks (its own list, not a unix account). */
export const tinyproxyUser: DaemonUser = { user: 'netc-http', pass: 'netc-http-1' }

/** Options for {@link startTinyproxy}. */
export interface TinyproxyOptions {
  /** `'basic'`: `Proxy-Authorization: Basic` with `tinyproxyUser`; `'none'` (default): no login. */
  readonly auth?: 'none' | 'basic'
  /**
   * The destination ports that CONNECT may reach (`ConnectPort` lines): the daemons' ports. Any other
   * port is refused with 403. At least one is needed (without any, tinyproxy would allow every port).
   */
  readonly connectPorts: readonly number[]
}

function tinyproxyConfig(port: number, options: TinyproxyOptions): string {
  const lines = [
    '# netc harness: a private tinyproxy (HTTP CONNECT) on loopback',
    'User nobody',
    'Group nogroup',
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 120',
    'LogLevel Connect',
    'MaxClients 400',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    ...options.connectPorts.map((connectPort) => `ConnectPort ${connectPort}`),
  ]
  if (options.auth === 'basic') lines.push(`BasicAuth ${tinyproxyUser.user} ${tinyproxyUser.pass}`)
  return `${lines.join('\n')}\n`
}

/**
 * Starts tinyproxy 1.11 on 127.0.0.1 in the foreground (`-d`) as an HTTP CONNECT proxy that may tunnel
 * only to `connectPorts`; with `auth: 'basic'` it wants `tinyproxyUser` (407 without).
 */
export async function startTinyproxy(options: TinyproxyOptions): Promise<ProxyDaemon> {
  if (options.connectPorts.length === 0) throw new Error('startTinyproxy: give the ports CONNECT may reach (connectPorts)')
  return startDaemon('tinyproxy', async (scope) => {
    const directory = scope.directory
    const [port] = await freePorts(1)
    const config = join(directory, 'tinyproxy.conf')
    await writeFile(config, tinyproxyConfig(port!, options), { mode: 0o644 })
    const child = scope.spawn('/usr/bin/tinyproxy', ['-d', '-c', config], { name: 'tinyproxy', logFile: join(directory, 'tinyproxy.out') })
    // A request for a port outside ConnectPort: any HTTP answer (403, or 407 with auth) means it is up.
    await waitForProxyAnswer({
      port: port!,
      probe: Buffer.from('CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n'),
      answer: (received) => /^HTTP\/1\.\d \d{3}/.test(received.toString('latin1')),
      process: child,
    })
    const basic = options.auth === 'basic'
    const credentials = basic ? `${encodeURIComponent(tinyproxyUser.user)}:${encodeURIComponent(tinyproxyUser.pass)}@` : ''
    return {
      host: '127.0.0.1',
      port: port!,
      ...(basic ? { user: tinyproxyUser } : {}),
      url: `http://${credentials}127.0.0.1:${port!}`,
      directory,
      stop: scope.stop,
    }
  })
}
