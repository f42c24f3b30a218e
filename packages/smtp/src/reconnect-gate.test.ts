import { ConnectionError, ReplyError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { ReconnectGate } from './reconnect-gate.ts'

const refused = (): Promise<never> => Promise.reject(new ConnectionError('connect ECONNREFUSED'))

describe('ReconnectGate', () => {
  it('gives up after maxAttempts connections in a row, each waiter with the last error', async () => {
    const gate = new ReconnectGate({ maxAttempts: 4, baseDelay: 1, maxDelay: 4 }, new AbortController().signal)
    let tries = 0
    const connect = (): Promise<never> => {
      tries++
      return refused()
    }
    const outcomes = await Promise.allSettled([gate.open(connect), gate.open(connect), gate.open(connect)])
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected'])
    // Three connections fail together (one failure), then one probe at a time: 3 + 3 tries, not 3 × 4.
    expect(tries).toBe(6)
    expect(gate.failures).toBe(0)
  })

  it('lets everyone through once a probe gets in', async () => {
    const gate = new ReconnectGate({ maxAttempts: 10, baseDelay: 1, maxDelay: 2 }, new AbortController().signal)
    let tries = 0
    const connect = async (): Promise<number> => {
      tries++
      if (tries <= 5) throw new ConnectionError('connection closed by the server')
      return tries
    }
    const opened = await Promise.all(Array.from({ length: 4 }, () => gate.open(connect)))
    expect(opened.every((value) => value > 5)).toBe(true)
    expect(gate.failures).toBe(0)
  })

  it('passes on an error that is not the connection’s at once', async () => {
    const gate = new ReconnectGate({ maxAttempts: 5, baseDelay: 1, maxDelay: 2 }, new AbortController().signal)
    let tries = 0
    const refusal = new ReplyError({ replyCode: 535, lines: ['5.7.8 Authentication failed'] })
    await expect(
      gate.open(() => {
        tries++
        return Promise.reject(refusal)
      }),
    ).rejects.toBe(refusal)
    expect(tries).toBe(1)
  })
})
