import { ProtocolError } from '@netc/transport'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dovecotGreeting, dovecotStatusLines } from './__fixtures__/dovecot-2.3.19.ts'
import { parseStatusLine } from './parse-status-line.ts'
import { Pop3ReplyError } from './pop3-reply-error.ts'

describe('parseStatusLine', () => {
  it.each([
    ['+OK', true, undefined, ''],
    ['+OK ', true, undefined, ''],
    ['+OK 2 320', true, undefined, '2 320'],
    ['+ok lower case', true, undefined, 'lower case'],
    ['-ERR', false, undefined, ''],
    ['-ERR [IN-USE] locked', false, 'IN-USE', 'locked'],
    ['-ERR [SYS/TEMP] try again later', false, 'SYS/TEMP', 'try again later'],
    ['-ERR [SYS/PERM] gone', false, 'SYS/PERM', 'gone'],
    ['-ERR [LOGIN-DELAY] wait 15 minutes', false, 'LOGIN-DELAY', 'wait 15 minutes'],
    ['-ERR [auth]', false, 'AUTH', ''],
    ['+OK [UTF8] fine', true, 'UTF8', 'fine'],
    ['-ERR [not a code] text', false, undefined, '[not a code] text'],
    ['-ERR [] empty', false, undefined, '[] empty'],
    ['-ERR [A//B] double slash', false, undefined, '[A//B] double slash'],
    [dovecotStatusLines.authFailed, false, 'AUTH', 'Authentication failed.'],
    [dovecotStatusLines.noSuchMessage, false, undefined, "There's no message 9."],
    [dovecotStatusLines.stat, true, undefined, '2 61'],
    [dovecotGreeting, true, undefined, 'Dovecot (Debian) ready. <5833.1.6b0c94df.vd+itt2W4TIOOrP3m2y31Q==@vm>'],
  ])('%j', (line, ok, respCode, text) => {
    expect(parseStatusLine(line)).toEqual({ ok, respCode, text, line })
  })

  it.each(['', '+', '+ ', '+ challenge', 'OK', '+OKAY', '-ERRor', '* OK imap', '220 smtp', ' +OK'])('refuses %j', (line) => {
    expect(() => parseStatusLine(line)).toThrow(ProtocolError)
  })

  it('returns a value or throws ProtocolError for any line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `-ERR [${s}`), fc.string().map((s) => `+OK ${s}`)), (line) => {
        try {
          const status = parseStatusLine(line)
          expect(status.line).toBe(line)
        } catch (error) {
          expect(ProtocolError.isInstance(error)).toBe(true)
        }
      }),
    )
  })
})

describe('Pop3ReplyError', () => {
  it('reads "COMMAND failed: -ERR [CODE] text" and carries the code', () => {
    const error = new Pop3ReplyError({ status: parseStatusLine('-ERR [SYS/TEMP] disk full'), command: 'RETR 1' })
    expect(error.message).toBe('RETR 1 failed: -ERR [SYS/TEMP] disk full')
    expect(error).toMatchObject({ replyCode: 0, respCode: 'SYS/TEMP', command: 'RETR 1', lines: ['[SYS/TEMP] disk full'] })
    expect(error.statusLine).toBe('-ERR [SYS/TEMP] disk full')
    expect(error.isTransient).toBe(true)
    expect(error.isPermanent).toBe(false)
    expect(Pop3ReplyError.isInstance(error)).toBe(true)
    expect(error.code).toBe('ERR_NETC_REPLY')
  })

  it.each([
    ['-ERR [IN-USE] locked', true, false],
    ['-ERR [LOGIN-DELAY] later', true, false],
    ['-ERR [AUTH] bad password', false, true],
    ['-ERR [SYS/PERM] no', false, true],
    ['-ERR plain', false, false],
  ])('%s: transient %s, permanent %s', (line, transient, permanent) => {
    const error = new Pop3ReplyError({ status: parseStatusLine(line), command: 'PASS ****' })
    expect([error.isTransient, error.isPermanent]).toEqual([transient, permanent])
  })

  it('names the server when no command drew the reply', () => {
    expect(new Pop3ReplyError({ status: parseStatusLine('-ERR [IN-USE] busy') }).message).toBe('server replied: -ERR [IN-USE] busy')
  })
})
