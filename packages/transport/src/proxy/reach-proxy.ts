import type { Duplex } from 'node:stream'
import { connectSocket, type ConnectFunction, type ConnectOptions } from '../connection/connect-socket.ts'
import { ConnectionError, NetcError, TimeoutError } from '../errors/index.ts'

/** The time left of a connect budget that started at `started` (`0` stays "no limit"). */
export function remainingTime(timeout: number, started: number): number {
  return timeout > 0 ? Math.max(1, timeout - (Date.now() - started)) : 0
}

/**
 * reachProxy: opens the byte stream to the proxy itself, through `connect` (default TCP), within the
 * caller's connect budget. Its errors name the proxy (`label`, a URL without credentials), not the target.
 *
 * ```ts
 * const socket = await reachProxy(connectSocket, { host: 'gw', port: 1080 }, 'socks5h://gw:1080', target)
 * ```
 */
export async function reachProxy(
  connect: ConnectFunction | undefined,
  proxy: { host: string; port: number },
  label: string,
  target: ConnectOptions,
): Promise<Duplex> {
  try {
    return await (connect ?? connectSocket)({ ...target, host: proxy.host, port: proxy.port })
  } catch (error) {
    if (TimeoutError.isInstance(error)) {
      throw new TimeoutError(`cannot reach the proxy ${label}: no answer within ${error.timeout} ms`, { phase: 'connect', timeout: error.timeout, cause: error })
    }
    if (ConnectionError.isInstance(error) || !NetcError.isInstance(error)) {
      const code = (error as { cause?: { code?: unknown } }).cause?.code
      const detail = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
      throw new ConnectionError(`cannot reach the proxy ${label}: ${detail}`, { cause: error })
    }
    throw error
  }
}
