import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../errors/index.ts'
import { decodeSaslChallenge, encodeSaslInitialResponse, encodeSaslResponse } from './sasl-base64.ts'

describe('SASL base64', () => {
  it.each([
    ['VXNlcm5hbWU6', 'Username:'],
    ['UGFzc3dvcmQ6 ', 'Password:'],
    ['', ''],
    ['=', ''],
    ['YQ==', 'a'],
  ])('decodes the challenge %j', (wire, expected) => {
    expect(decodeSaslChallenge(wire).toString()).toBe(expected)
  })

  it.each(['V*', 'YQ', 'YQ=', 'Y Q==', 'YQ==YQ==', '===='])('refuses the challenge %j', (wire) => {
    expect(() => decodeSaslChallenge(wire)).toThrow(ProtocolError)
  })

  it('encodes an empty initial response as "=" and an empty response as an empty line', () => {
    expect(encodeSaslInitialResponse(Buffer.alloc(0))).toBe('=')
    expect(encodeSaslResponse(Buffer.alloc(0))).toBe('')
    expect(encodeSaslInitialResponse(Buffer.from('\0tim\0x'))).toBe('AHRpbQB4')
  })

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeSaslChallenge(encodeSaslInitialResponse(Buffer.from(bytes)))).toEqual(Buffer.from(bytes))
      }),
    )
  })
})
