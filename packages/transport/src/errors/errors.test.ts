import { describe, expect, it } from 'vitest'
import {
  AbortError,
  ClosedError,
  ConnectionError,
  InvalidArgumentError,
  NetcError,
  ProtocolError,
  ReplyError,
  TimeoutError,
} from './index.ts'

describe('error taxonomy', () => {
  it('gives each class its own code and name', () => {
    const cases: Array<[NetcError, string, string]> = [
      [new ConnectionError('x'), 'ERR_NETC_CONNECTION', 'ConnectionError'],
      [new TimeoutError('x', { phase: 'reply', timeout: 5 }), 'ERR_NETC_TIMEOUT', 'TimeoutError'],
      [new ProtocolError('x'), 'ERR_NETC_PROTOCOL', 'ProtocolError'],
      [new ClosedError('x'), 'ERR_NETC_CLOSED', 'ClosedError'],
      [new AbortError('x'), 'ERR_NETC_ABORTED', 'AbortError'],
      [new InvalidArgumentError('x'), 'ERR_NETC_INVALID_ARGUMENT', 'InvalidArgumentError'],
    ]
    for (const [error, code, name] of cases) {
      expect(error.code).toBe(code)
      expect(error.name).toBe(name)
      expect(error).toBeInstanceOf(NetcError)
      expect(error).toBeInstanceOf(Error)
    }
  })

  it('keeps the cause', () => {
    const cause = new Error('ECONNRESET')
    expect(new ConnectionError('broke', { cause }).cause).toBe(cause)
  })

  it('isInstance matches subclasses and nothing else', () => {
    const timeout = new TimeoutError('slow', { phase: 'greeting', timeout: 10 })
    expect(TimeoutError.isInstance(timeout)).toBe(true)
    expect(NetcError.isInstance(timeout)).toBe(true)
    expect(ProtocolError.isInstance(timeout)).toBe(false)
    expect(NetcError.isInstance(new Error('plain'))).toBe(false)
    expect(NetcError.isInstance(null)).toBe(false)
    expect(NetcError.isInstance('ERR_NETC_TIMEOUT')).toBe(false)
  })

  it('isInstance works across two copies of the package (no shared prototype)', () => {
    // A second copy has its own classes; only the Symbol.for marker is shared.
    class OtherCopyBase extends Error {
      static readonly kind: string = 'NetcError'
    }
    class OtherTimeout extends OtherCopyBase {
      static override readonly kind: string = 'TimeoutError'
    }
    const foreign = new OtherTimeout('slow')
    Object.defineProperty(foreign, Symbol.for('@netc/transport/error-kinds'), { value: ['TimeoutError', 'NetcError'] })
    expect(foreign).not.toBeInstanceOf(TimeoutError)
    expect(TimeoutError.isInstance(foreign)).toBe(true)
    expect(NetcError.isInstance(foreign)).toBe(true)
    expect(ReplyError.isInstance(foreign)).toBe(false)
  })

  it.each([
    [421, true, false],
    [450, true, false],
    [550, false, true],
    [554, false, true],
    [250, false, false],
  ])('ReplyError %i: transient %s, permanent %s', (replyCode, transient, permanent) => {
    const error = new ReplyError({ replyCode, lines: ['text'], command: 'NOOP' })
    expect(error.isTransient).toBe(transient)
    expect(error.isPermanent).toBe(permanent)
  })

  it('ReplyError reads "COMMAND failed: CODE text"', () => {
    const error = new ReplyError({ replyCode: 550, lines: ['No such file'], command: 'RETR dave.txt' })
    expect(error.message).toBe('RETR dave.txt failed: 550 No such file')
    expect(error.code).toBe('ERR_NETC_REPLY')
    expect(new ReplyError({ replyCode: 554, lines: ['go away'] }).message).toBe('server replied: 554 go away')
  })
})
