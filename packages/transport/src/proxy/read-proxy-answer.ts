import type { Duplex } from 'node:stream'
import { AbortError, ConnectionError, TimeoutError } from '../errors/index.ts'

/** How long `readProxyAnswer` waits, for what (in messages), and the caller's signal. */
export interface ReadProxyAnswerOptions {
  /** Milliseconds; `0` waits without a limit. */
  timeout: number
  signal?: AbortSignal | undefined
  /** The proxy and what it was asked, for messages: `proxy http://gw:3128 (CONNECT mail.example.com:25)`. */
  label: string
}

/**
 * readProxyAnswer: collects bytes from the proxy until `parse` returns a value (it returns `undefined`
 * while incomplete and throws on garbage), then pauses the stream, so that bytes after the answer stay
 * for the next reader. Errors: `TimeoutError` (phase `connect`: a proxy that stalls), `ConnectionError`
 * (the proxy hung up), `AbortError`, or what `parse` threw.
 *
 * ```ts
 * const answer = await readProxyAnswer(socket, (bytes) => parseHttpConnectResponse(bytes, 16384), options)
 * ```
 */
export function readProxyAnswer<T>(socket: Duplex, parse: (bytes: Buffer) => T | undefined, options: ReadProxyAnswerOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0)
    const { signal, timeout, label } = options
    const finish = (error: Error | undefined, value?: T): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.off('data', onData)
      socket.off('end', onEnd)
      socket.off('close', onEnd)
      socket.off('error', onError)
      socket.pause()
      if (error) reject(error)
      else resolve(value as T)
    }
    const onData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk])
      let value: T | undefined
      try {
        value = parse(received)
      } catch (error) {
        finish(error as Error)
        return
      }
      if (value !== undefined) finish(undefined, value)
    }
    const onEnd = (): void => finish(new ConnectionError(`${label}: the proxy closed the connection before answering`))
    const onError = (error: Error): void => finish(new ConnectionError(`${label}: ${error.message}`, { cause: error }))
    const onAbort = (): void => finish(new AbortError('connect aborted', { cause: signal?.reason }))
    const timer =
      timeout > 0
        ? setTimeout(() => finish(new TimeoutError(`${label}: no answer from the proxy within ${timeout} ms`, { phase: 'connect', timeout })), timeout)
        : undefined
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.on('data', onData)
    socket.once('end', onEnd)
    socket.once('close', onEnd)
    socket.once('error', onError)
  })
}
