import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../errors/index.ts'
import { CodedReplyParser, parseCodedReply } from './coded-reply-parser.ts'

describe('parseCodedReply', () => {
  it.each([
    ['single line', ['220 mail.example.com ESMTP Postfix'], 220, ['mail.example.com ESMTP Postfix']],
    ['code alone', ['200'], 200, ['']],
    ['code and space', ['354 '], 354, ['']],
    [
      'postfix EHLO',
      ['250-mail.example.com', '250-PIPELINING', '250-SIZE 10240000', '250-8BITMIME', '250 CHUNKING'],
      250,
      ['mail.example.com', 'PIPELINING', 'SIZE 10240000', '8BITMIME', 'CHUNKING'],
    ],
    [
      'vsftpd FEAT (RFC 959 free text between first and last)',
      ['211-Features:', ' EPRT', ' EPSV', ' MDTM', ' PASV', ' REST STREAM', ' SIZE', ' TVFS', '211 End'],
      211,
      ['Features:', ' EPRT', ' EPSV', ' MDTM', ' PASV', ' REST STREAM', ' SIZE', ' TVFS', 'End'],
    ],
    [
      'RFC 959 example: a line that starts with another code is text',
      ['123-First line', 'Second line', '  234 A line beginning with numbers', '123 The last line'],
      123,
      ['First line', 'Second line', '  234 A line beginning with numbers', 'The last line'],
    ],
    ['ftp multi-line banner', ['220-Welcome', '220-to the server', '220 ready'], 220, ['Welcome', 'to the server', 'ready']],
    ['a 230- continuation holding 230 text', ['230-230 users max', '230 Login successful.'], 230, ['230 users max', 'Login successful.']],
    ['nntp', ['211 1234 3000234 3002322 misc.test'], 211, ['1234 3000234 3002322 misc.test']],
    ['utf8 text', ['550 fichier « introuvable »'], 550, ['fichier « introuvable »']],
  ])('%s', (_name, lines, code, text) => {
    expect(parseCodedReply(lines)).toEqual({ code, lines: text })
  })

  it.each([
    ['no code', ['hello']],
    ['short', ['25']],
    ['letters', ['2x0 ok']],
    ['bad separator', ['250_ok']],
    ['code 000', ['000 zero']],
    ['code 600', ['600 high']],
    ['empty', ['']],
    ['unterminated', ['250-a', '250-b']],
    ['extra line after the end', ['250 a', '250 b']],
  ])('throws ProtocolError: %s', (_name, lines) => {
    expect(() => parseCodedReply(lines)).toThrow(ProtocolError)
  })

  it('bounds the number of lines', () => {
    const parser = new CodedReplyParser({ maxReplyLines: 3 })
    parser.push('250-a')
    parser.push('250-b')
    parser.push('250-c')
    expect(() => parser.push('250-d')).toThrow(/longer than the limit/)
  })

  it('bounds the bytes of a reply', () => {
    const parser = new CodedReplyParser({ maxReplyBytes: 100 })
    parser.push('250-a')
    expect(() => {
      for (let i = 0; i < 10; i++) parser.push(`250-${'x'.repeat(20)}`)
    }).toThrow(ProtocolError)
  })

  it('reset forgets a half-read reply and its bytes, so a kept parser starts clean', () => {
    const parser = new CodedReplyParser({ maxReplyBytes: 60 })
    parser.push('250-first')
    parser.push(`250-${'x'.repeat(30)}`)
    expect(parser.pending).toBe(true)
    parser.reset()
    expect(parser.pending).toBe(false)
    expect(parser.push('220-a')).toBeUndefined()
    expect(parser.push(`220 ${'y'.repeat(40)}`)).toEqual({ code: 220, lines: ['a', 'y'.repeat(40)] })
  })

  it('parses replies one after another (pipelining)', () => {
    const parser = new CodedReplyParser()
    const replies = ['250 ok', '250-a', '250 b', '354 go'].map((line) => parser.push(line)).filter(Boolean)
    expect(replies).toEqual([
      { code: 250, lines: ['ok'] },
      { code: 250, lines: ['a', 'b'] },
      { code: 354, lines: ['go'] },
    ])
  })

  it('property: returns a reply or throws ProtocolError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 6 }), (lines) => {
        try {
          const reply = parseCodedReply(lines)
          expect(reply.code).toBeGreaterThanOrEqual(100)
          expect(reply.code).toBeLessThanOrEqual(599)
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('property: continuation lines round-trip', () => {
    const text = fc.string({ maxLength: 30 }).filter((s) => !/[\r\n]/.test(s))
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.array(text, { minLength: 1, maxLength: 8 }), (code, texts) => {
        const lines = texts.map((t, i) => `${code}${i === texts.length - 1 ? ' ' : '-'}${t}`)
        expect(parseCodedReply(lines)).toEqual({ code, lines: texts })
      }),
    )
  })
})
