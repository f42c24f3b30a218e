import { readFile } from 'node:fs/promises'
import fc from 'fast-check'
import { parseCodedReply } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { ehloReplies } from './__fixtures__/ehlo-replies.ts'
import { parseCapabilities } from './parse-capabilities.ts'

const parse = (name: keyof typeof ehloReplies) => parseCapabilities({ lines: ehloReplies[name] })

describe('parseCapabilities', () => {
  it.each([
    ['gmail', { domain: 'smtp.gmail.com', size: 35882577, auth: ['LOGIN', 'PLAIN', 'XOAUTH2', 'PLAIN-CLIENTTOKEN', 'OAUTHBEARER', 'XOAUTH'], dsn: false }],
    ['exchange-2016', { auth: ['NTLM', 'LOGIN'], binaryMime: true, chunking: true, size: 37748736 }],
    ['exim-4', { domain: 'mx.example.org', chunking: true, pipelining: true, auth: [], startTls: false }],
    ['qmail-old', { auth: ['LOGIN', 'PLAIN', 'CRAM-MD5'], pipelining: true }],
    ['sendmail-8', { size: 0, dsn: true, enhancedStatusCodes: true }],
    ['requiretls', { requireTls: true, startTls: true, size: 0 }],
  ] as const)('%s', (name, expected) => {
    expect(parse(name)).toMatchObject(expected)
  })

  it.each([
    ['postfix-3.7-ehlo.txt', { domain: 'localhost.localdomain', size: 10240000, pipelining: true, chunking: true, eightBitMime: true, smtpUtf8: true, dsn: true, enhancedStatusCodes: true, startTls: true, requireTls: false, binaryMime: false, auth: [] }],
    ['postfix-3.7-ehlo-after-starttls.txt', { startTls: false, auth: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'] }],
  ])('%s (captured from postfix 3.7)', async (file, expected) => {
    const wire = await readFile(new URL(`./__fixtures__/${file}`, import.meta.url), 'utf8')
    const caps = parseCapabilities(parseCodedReply(wire.split('\r\n').filter((line) => line !== '')))
    expect(caps).toMatchObject(expected)
    expect([...caps.extensions.keys()]).toContain('ETRN')
  })

  it('keeps every keyword with its parameters, upper-cased, first occurrence wins', () => {
    const caps = parseCapabilities({ lines: ['x', 'auth plain', 'X-EXPS GSSAPI NTLM', 'AUTH LOGIN', 'size 100'] })
    expect([...caps.extensions]).toEqual([
      ['AUTH', ['plain']],
      ['X-EXPS', ['GSSAPI', 'NTLM']],
      ['SIZE', ['100']],
    ])
    expect(caps.auth).toEqual(['PLAIN', 'LOGIN'])
    expect(caps.size).toBe(100)
  })

  it('skips lines that are not keywords', () => {
    const caps = parseCapabilities({ lines: ['x', '', '   ', '-bad', 'PIPELINING'] })
    expect([...caps.extensions.keys()]).toEqual(['PIPELINING'])
  })

  it('a HELO reply has no extensions', () => {
    const caps = parseCapabilities({ lines: ['mail.example.com', 'PIPELINING'] }, { esmtp: false })
    expect(caps).toMatchObject({ esmtp: false, pipelining: false, domain: 'mail.example.com' })
  })

  it('never throws on arbitrary lines', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('AUTH=', 'AUTH= ', 'SIZE x', 'SIZE 99999999999999999999', '=', ' AUTH PLAIN')), { maxLength: 20 }), (lines) => {
        const caps = parseCapabilities({ lines })
        expect(Array.isArray(caps.auth)).toBe(true)
      }),
    )
  })
})
