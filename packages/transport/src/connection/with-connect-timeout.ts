import type { Duplex } from 'node:stream'
import { TimeoutError } from '../errors/index.ts'

/**
 * withConnectTimeout: holds a connect seam to the connect timeout even when the seam itself ignores it (a
 * stuck proxy): `TimeoutError` (phase `connect`), and a stream that arrives too late is destroyed.
 */
export function withConnectTimeout(opening: Promise<Duplex>, options: { host: string; port: number }, timeout: number): Promise<Duplex> {
  if (timeout <= 0) return opening
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new TimeoutError(`cannot reach ${options.host}:${options.port}: no answer within ${timeout} ms`, { phase: 'connect', timeout }))
      void opening.then((late) => late.destroy(), () => undefined)
    }, timeout)
  })
  return Promise.race([opening, expired]).finally(() => clearTimeout(timer))
}
