import { connect as connectTcp } from 'node:net'
import type { Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ManagedProcess } from './process.ts'

/** Options for {@link waitForGreeting}. */
export interface WaitForGreetingOptions {
  readonly host?: string
  readonly port: number
  /** The greeting line to wait for, e.g. `/^220 /` (FTP, SMTP), `/^\+OK/` (POP3), `/^20[01] /` (NNTP). */
  readonly expect: RegExp
  /** Implicit TLS: connect with TLS, verifying the server against this CA (PEM). */
  readonly tlsCa?: string
  /** Fail at once, with its log, when this process ends while we wait. */
  readonly process?: ManagedProcess
  /** Sent before closing, e.g. `QUIT\r\n`, so that the daemon does not log an aborted session. */
  readonly goodbye?: string
  readonly timeoutMs?: number
}

function tryGreeting(options: WaitForGreetingOptions, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = options.tlsCa
      ? connectTls({ host, port: options.port, ca: options.tlsCa, servername: host === '127.0.0.1' ? 'localhost' : host })
      : connectTcp({ host, port: options.port })
    let received = ''
    const fail = (error: Error): void => {
      socket.destroy()
      reject(error)
    }
    socket.setTimeout(2_000, () => fail(new Error('no greeting within 2 s')))
    socket.on('error', fail)
    socket.on('close', () => reject(new Error(`closed before a greeting, got ${JSON.stringify(received)}`)))
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
      const line = received.split(/\r?\n/).slice(0, -1).find((candidate) => options.expect.test(candidate))
      if (line !== undefined) {
        if (options.goodbye) socket.end(options.goodbye)
        else socket.end()
        setTimeout(() => socket.destroy(), 200).unref()
        resolve(line)
      }
    })
  })
}

/**
 * Waits until a daemon answers on `port` with its greeting: connects, reads the first lines, closes;
 * retries every 50 ms until `timeoutMs` (default 15 s). Returns the greeting line.
 */
export async function waitForGreeting(options: WaitForGreetingOptions): Promise<string> {
  const host = options.host ?? '127.0.0.1'
  const deadline = Date.now() + (options.timeoutMs ?? 15_000)
  let last: unknown
  while (Date.now() < deadline) {
    if (options.process?.hasExited()) {
      throw new Error(`${options.process.name} ended before greeting on ${host}:${options.port}\n${options.process.logTail()}`)
    }
    try {
      return await tryGreeting(options, host)
    } catch (error) {
      last = error
      await sleep(50)
    }
  }
  const log = options.process ? `\n${options.process.logTail()}` : ''
  throw new Error(`no greeting matching ${String(options.expect)} on ${host}:${options.port}${log}`, { cause: last })
}
