import { ProtocolError } from '@netc/transport'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dovecotCapaPlain, dovecotCapaTls, dovecotCapaTransaction } from './__fixtures__/dovecot-2.3.19.ts'
import { emptyCapabilities, parseCapabilities } from './parse-capabilities.ts'

describe('parseCapabilities', () => {
  it('reads dovecot 2.3 before login, over plaintext', () => {
    const capabilities = parseCapabilities(dovecotCapaPlain.slice(1))
    expect(capabilities).toMatchObject({
      top: true,
      uidl: true,
      user: true,
      respCodes: true,
      authRespCode: true,
      pipelining: true,
      stls: true,
      utf8: false,
      sasl: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'DIGEST-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'],
      expire: undefined,
      loginDelay: undefined,
      implementation: undefined,
    })
    expect([...capabilities.tags.keys()]).toContain('CAPA')
  })

  it('reads dovecot 2.3 over POP3S and after login', () => {
    expect(parseCapabilities(dovecotCapaTls.slice(1))).toMatchObject({ stls: false, user: true, pipelining: true })
    expect(parseCapabilities(dovecotCapaTransaction.slice(1))).toMatchObject({ stls: false, user: false, sasl: [], top: true })
  })

  it('reads the example of RFC 2449 section 5 and the RFC 6856 tags', () => {
    const lines = ['TOP', 'USER', 'SASL CRAM-MD5 KERBEROS_V4', 'RESP-CODES', 'LOGIN-DELAY 900', 'PIPELINING', 'EXPIRE 60', 'UIDL', 'IMPLEMENTATION Shlemazle-Plotz-v302', 'UTF8 USER', 'LANG']
    expect(parseCapabilities(lines)).toMatchObject({
      sasl: ['CRAM-MD5', 'KERBEROS_V4'],
      loginDelay: { value: 900, perUser: false },
      expire: { value: 60, perUser: false },
      implementation: 'Shlemazle-Plotz-v302',
      utf8: true,
      utf8User: true,
      lang: true,
    })
  })

  it.each([
    ['EXPIRE NEVER', { value: 'never', perUser: false }],
    ['EXPIRE 0', { value: 0, perUser: false }],
    ['expire 31 user', { value: 31, perUser: true }],
  ])('%s', (line, expire) => {
    expect(parseCapabilities([line]).expire).toEqual(expire)
  })

  it('is case-insensitive, skips blank lines and keeps unknown tags', () => {
    const capabilities = parseCapabilities(['', 'stls', 'sasl plain', 'X-VENDOR a b', '   '])
    expect(capabilities).toMatchObject({ stls: true, sasl: ['PLAIN'] })
    expect(capabilities.tags.get('X-VENDOR')).toEqual(['a', 'b'])
  })

  it('knows nothing of a server without CAPA', () => {
    expect(emptyCapabilities()).toMatchObject({ top: false, uidl: false, user: false, sasl: [], stls: false, pipelining: false })
  })

  it.each([['LOGIN-DELAY soon'], ['EXPIRE'], ['LOGIN-DELAY NEVER'], ['TOP\u0001']])('refuses %j', (line) => {
    expect(() => parseCapabilities([line])).toThrow(ProtocolError)
  })

  it('returns a value or throws ProtocolError for any lines', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('EXPIRE', 'LOGIN-DELAY', 'SASL', 'UTF8')).map((s) => s)), (lines) => {
        try {
          parseCapabilities(lines)
        } catch (error) {
          expect(ProtocolError.isInstance(error)).toBe(true)
        }
      }),
    )
  })
})
