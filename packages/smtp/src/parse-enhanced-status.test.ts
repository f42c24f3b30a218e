import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseEnhancedStatus } from './parse-enhanced-status.ts'
import { SmtpReplyError } from './smtp-reply-error.ts'
import { ReplyError } from '@netc/transport'

describe('parseEnhancedStatus', () => {
  it.each([
    ['5.1.1 <nobody@example.com>: Recipient address rejected: User unknown', 550, '5.1.1'],
    ['2.0.0 Ok: queued as 4XYZ', 250, '2.0.0'],
    ['4.7.1 Service unavailable - try again later', 451, '4.7.1'],
    ['5.7.139 Authentication unsuccessful', 535, '5.7.139'],
    ['5.1.1', 550, '5.1.1'],
    ['2.1.5 Ok', undefined, '2.1.5'],
  ])('%s → %s', (text, code, expected) => {
    expect(parseEnhancedStatus(text, code)?.code).toBe(expected)
  })

  it.each([
    ['Ok', 250],
    ['5.1.1 mismatch with 250', 250],
    ['3.1.1 no such class', 550],
    ['5.1.1234 detail too long', 550],
    ['5.1.1text', 550],
    ['55.1.1 x', 550],
    [' 5.1.1 leading space', 550],
  ])('not a status: %s', (text, code) => {
    expect(parseEnhancedStatus(text, code)).toBeUndefined()
  })

  it('splits the parts', () => {
    expect(parseEnhancedStatus('4.2.2 Mailbox full')).toEqual({ statusClass: 4, subject: 2, detail: 2, code: '4.2.2' })
  })

  it('never throws', () => {
    fc.assert(fc.property(fc.string(), fc.integer({ min: 0, max: 999 }), (text, code) => {
      const status = parseEnhancedStatus(text, code)
      if (status !== undefined) expect(text.startsWith(status.code.split('.')[0]!)).toBe(true)
    }))
  })
})

describe('SmtpReplyError', () => {
  it('is a ReplyError with the enhanced status of its first line', () => {
    const error = new SmtpReplyError({ replyCode: 550, lines: ['5.1.1 <x@y>: unknown', 'more'], command: 'RCPT TO:<x@y>' })
    expect(error.enhancedStatus).toBe('5.1.1')
    expect(error.message).toBe('RCPT TO:<x@y> failed: 550 5.1.1 <x@y>: unknown more')
    expect(ReplyError.isInstance(error)).toBe(true)
    expect(SmtpReplyError.isInstance(error)).toBe(true)
    expect(SmtpReplyError.isInstance(new ReplyError({ replyCode: 550, lines: [] }))).toBe(false)
    expect(error.isPermanent).toBe(true)
    expect(error.name).toBe('SmtpReplyError')
  })

  it('has no enhanced status when the reply carries none', () => {
    expect(SmtpReplyError.fromReply({ code: 451, lines: ['try later'] }).enhancedStatus).toBeUndefined()
  })
})
