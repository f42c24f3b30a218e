import fc from 'fast-check'
import { InvalidArgumentError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { assertGroupName, assertHeaderName, assertMessageId, assertWildmat, formatArticleId, formatRange, isMessageId } from './nntp-arguments.ts'

describe('NNTP arguments', () => {
  it.each(['<a@b>', '<first@example.org>', '<11ei4ad$jv9$1@vm.localdomain>', `<${'x'.repeat(248)}>`])('accepts the message-id %j', (id) => {
    expect(assertMessageId(id)).toBe(id)
    expect(isMessageId(id)).toBe(true)
  })

  it.each(['', 'a@b', '<>', '<a b>', '<a@b>\r\nQUIT', '<a\n@b>', '<a>b>', `<${'x'.repeat(249)}>`, '<é@b>'])('refuses the message-id %j', (id) => {
    expect(() => assertMessageId(id)).toThrow(InvalidArgumentError)
  })

  it.each([
    [7, '7'],
    [{ from: 5 }, '5-'],
    [{ from: 1, to: 10 }, '1-10'],
    [{ from: 0, to: 0 }, '0-0'],
  ])('formats the range %j', (range, wire) => {
    expect(formatRange(range)).toBe(wire)
  })

  it.each([-1, 1.5, Number.NaN, { from: -1 }, { from: 1, to: Infinity }])('refuses the range %j', (range) => {
    expect(() => formatRange(range)).toThrow(InvalidArgumentError)
  })

  it('formats article ids', () => {
    expect(formatArticleId(3)).toBe('3')
    expect(formatArticleId('<a@b>')).toBe('<a@b>')
    expect(() => formatArticleId('3')).toThrow(InvalidArgumentError)
  })

  it.each(['comp.lang.*', '*', 'a,!b.*', 'de.alt.ü'])('accepts the wildmat %j', (wildmat) => {
    expect(assertWildmat(wildmat)).toBe(wildmat)
  })

  it.each(['', 'a b', 'a\tb', 'misc.test\r\nPOST', 'a\0'])('refuses the wildmat or group %j', (value) => {
    expect(() => assertWildmat(value)).toThrow(InvalidArgumentError)
    expect(() => assertGroupName(value)).toThrow(InvalidArgumentError)
  })

  it.each([['Subject', true], [':bytes', true], ['X-Foo', true], ['a:b', false], ['', false], ['Sub ject', false], ['Subject\r\n', false]])(
    'header name %j ok: %s',
    (name, ok) => {
      if (ok) expect(assertHeaderName(name)).toBe(name)
      else expect(() => assertHeaderName(name)).toThrow(InvalidArgumentError)
    },
  )

  it('never lets CR or LF through (property)', () => {
    const withBreak = fc.tuple(fc.string(), fc.constantFrom('\r', '\n', '\0'), fc.string()).map(([a, b, c]) => a + b + c)
    fc.assert(fc.property(withBreak, (value) => {
      for (const check of [assertMessageId, assertWildmat, assertHeaderName]) expect(() => check(value)).toThrow(InvalidArgumentError)
    }))
  })
})
