import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../__fixtures__/load-fixture.ts'
import { parseArticleHeaders, splitArticle } from './article-headers.ts'
import { decodeHeader } from './decode-header.ts'

describe('parseArticleHeaders', () => {
  it('reads INN 2.7.1 HEAD: folded headers unfolded, encoded words decoded', () => {
    const headers = parseArticleHeaders(loadFixture('head-2.txt').body)
    expect(headers.get('subject')).toBe('Grüße aus München and a folded continuation')
    expect(headers.getRaw('Subject')).toBe('=?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?= and a folded continuation')
    expect(headers.get('From')).toBe('Jörg Müller <joerg@example.org>')
    expect(headers.get('x-folded')).toBe('one\ttwo')
    expect(headers.get('injection-info')).toBe('vm.localdomain; posting-host="localhost:127.0.0.1";\tlogging-data="20767"; mail-complaints-to="usenet@vm.localdomain"')
    expect(headers.get('Message-ID')).toBe('<second@example.org>')
    expect(headers.size).toBe(11)
    expect(headers.has('xref')).toBe(true)
    expect(headers.get('nope')).toBeUndefined()
  })

  it('reads an ARTICLE up to the blank line', () => {
    const { header, body } = splitArticle(loadFixture('article-1.txt').body)
    expect(parseArticleHeaders(header).get('subject')).toBe('hello world')
    expect(body.toString()).toBe('Hello.\r\n.a line that starts with a dot\r\n')
  })

  it.each([
    ['A: 1\nB: 2\n\nbody', ['A', 'B']],
    [' stray continuation\nA: 1\r\n', ['A']],
    ['From someone Tue\nA: 1\nbad name: x\nC:\n', ['A', 'C']],
    ['A: 1\nA: 2\n', ['A', 'A']],
  ])('is lenient with %j', (block, names) => {
    expect([...parseArticleHeaders(block)].map((field) => field.name)).toEqual(names)
  })

  it('keeps repeated headers in order', () => {
    const headers = parseArticleHeaders('Received: a\r\nreceived: b\r\n')
    expect(headers.getAll('RECEIVED')).toEqual(['a', 'b'])
    expect(headers.toObject()).toEqual({ received: 'a' })
  })

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.string(), (block) => {
      parseArticleHeaders(block)
    }))
  })
})

describe('splitArticle', () => {
  it.each([
    ['A: 1\r\n\r\nbody\r\n', 'A: 1\r\n', 'body\r\n'],
    ['A: 1\n\nbody\n', 'A: 1\n', 'body\n'],
    ['A: 1\r\n', 'A: 1\r\n', ''],
    ['\r\nbody', '', 'body'],
  ])('splits %j', (article, header, body) => {
    const parts = splitArticle(Buffer.from(article))
    expect([parts.header.toString(), parts.body.toString()]).toEqual([header, body])
  })
})

describe('decodeHeader', () => {
  it.each([
    ['plain', 'plain'],
    ['=?ISO-8859-1?Q?Andr=E9?= Pirard', 'André Pirard'],
    ['=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=', 'éé'],
    ['=?x-unknown?Q?abc?=', expect.any(String) as unknown],
  ])('decodes %j', (raw, decoded) => {
    expect(decodeHeader(raw)).toEqual(decoded)
  })

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      expect(typeof decodeHeader(`=?${value}`)).toBe('string')
    }))
  })
})
