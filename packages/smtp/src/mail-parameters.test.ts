import { InvalidArgumentError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { decodeXtext, encodeXtext } from './encode-xtext.ts'
import { mailParameters, rcptParameters } from './mail-parameters.ts'
import { parseCapabilities } from './parse-capabilities.ts'
import fc from 'fast-check'
import type { DsnNotify } from './envelope.ts'

const all = parseCapabilities({ lines: ['x', 'SIZE 1000', '8BITMIME', 'SMTPUTF8', 'DSN', 'CHUNKING', 'BINARYMIME', 'REQUIRETLS'] })
const none = parseCapabilities({ lines: ['x'] })
const envelope = { from: 'a@example.com', to: ['b@example.com'] }

describe('mailParameters', () => {
  it('sends only what the server offers', () => {
    const dsn = { ret: 'headers', envelopeId: 'q 1+=', notify: ['failure'] } as const
    expect(mailParameters({ ...envelope, dsn }, all, { size: 100 })).toEqual(['SIZE=100', 'BODY=8BITMIME', 'RET=HDRS', 'ENVID=q+201+2B+3D'])
    expect(mailParameters({ ...envelope, dsn }, none, { size: 100 })).toEqual([])
  })

  it('declares SMTPUTF8 for UTF-8 addresses or on request', () => {
    expect(mailParameters({ from: 'ä@x', to: ['b@x'] }, all)).toContain('SMTPUTF8')
    expect(mailParameters({ from: 'a@x', to: ['ö@x'] }, all)).toContain('SMTPUTF8')
    expect(mailParameters({ ...envelope, smtpUtf8: true }, all)).toContain('SMTPUTF8')
    expect(mailParameters(envelope, all)).not.toContain('SMTPUTF8')
  })

  it('uses the declared size of a stream and refuses one over the limit', () => {
    expect(mailParameters({ ...envelope, size: 10 }, all)).toContain('SIZE=10')
    expect(() => mailParameters(envelope, all, { size: 1001 })).toThrow(InvalidArgumentError)
  })

  it('BODY, REQUIRETLS', () => {
    expect(mailParameters({ ...envelope, body: 'BINARYMIME', requireTls: true }, all)).toEqual(['BODY=BINARYMIME', 'REQUIRETLS'])
    expect(mailParameters({ ...envelope, body: '7BIT' }, all)).toEqual(['BODY=7BIT'])
    expect(() => mailParameters({ ...envelope, body: 'BINARYMIME' }, none)).toThrow(InvalidArgumentError)
    expect(() => mailParameters({ ...envelope, requireTls: true }, none)).toThrow(/REQUIRETLS/)
  })
})

describe('rcptParameters', () => {
  it('NOTIFY and ORCPT', () => {
    expect(rcptParameters('b+x@example.com', { notify: ['success', 'failure', 'success'], orcpt: true }, all)).toEqual([
      'NOTIFY=SUCCESS,FAILURE',
      'ORCPT=rfc822;b+2Bx@example.com',
    ])
    expect(rcptParameters('b@x', { notify: 'never' }, all)).toEqual(['NOTIFY=NEVER'])
    expect(rcptParameters('b@x', { notify: 'never' }, none)).toEqual([])
    expect(() => rcptParameters('b@x', { notify: JSON.parse('["sometimes"]') as DsnNotify[] }, all)).toThrow(InvalidArgumentError)
  })
})

describe('xtext', () => {
  it('round-trips and stays printable ASCII without + or = except escapes', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const encoded = encodeXtext(text)
        expect(encoded).toMatch(/^(?:[!-*,-<>-~]|\+[0-9A-F]{2})*$/)
        expect(decodeXtext(encoded)).toBe(Buffer.from(text).toString())
      }),
    )
  })
})
