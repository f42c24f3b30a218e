import { ReplyError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { NntpReplyCode, NntpReplyError } from './nntp-reply-error.ts'

describe('NntpReplyError', () => {
  it.each([
    [411, 'isNoSuchGroup'],
    [412, 'isNoGroupSelected'],
    [420, 'isNoCurrentArticle'],
    [421, 'isNoCurrentArticle'],
    [423, 'isNoSuchArticle'],
    [430, 'isNoSuchArticle'],
    [480, 'isAuthenticationProblem'],
    [500, 'isUnsupported'],
  ] as const)('tells %i apart (%s)', (code, predicate) => {
    const error = NntpReplyError.fromReply({ code, lines: ['no'] }, 'GROUP x')
    expect(error[predicate]).toBe(true)
    const others = (['isNoSuchGroup', 'isNoGroupSelected', 'isNoCurrentArticle', 'isNoSuchArticle', 'isAuthenticationProblem', 'isUnsupported'] as const)
      .filter((name) => name !== predicate)
    for (const other of others) expect(error[other]).toBe(false)
  })

  it('is a ReplyError, found by isInstance, with the netc message', () => {
    const error = NntpReplyError.fromReply({ code: NntpReplyCode.noSuchGroup, lines: ['No such group no.such.group'] }, 'GROUP no.such.group')
    expect(NntpReplyError.isInstance(error)).toBe(true)
    expect(ReplyError.isInstance(error)).toBe(true)
    expect(error.name).toBe('NntpReplyError')
    expect(error.message).toBe('GROUP no.such.group failed: 411 No such group no.such.group')
    expect(error.isTransient).toBe(true)
  })
})
