import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, ProtocolError } from '../errors/index.ts'
import { createSaslMechanism } from './create-sasl-mechanism.ts'
import type { SaslCredentials } from './sasl-mechanism.ts'

const b64 = (buffer: Buffer | undefined): string | undefined => buffer?.toString('base64')
const token = 'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=='

describe('createSaslMechanism: initial responses on the wire', () => {
  it.each<[string, string, SaslCredentials, object, string | undefined]>([
    // RFC 4616 section 4 (tim / tanstaaftanstaaf, the RFC 2195 pair).
    ['PLAIN', 'plain', { username: 'tim', password: 'tanstaaftanstaaf' }, {}, 'AHRpbQB0YW5zdGFhZnRhbnN0YWFm'],
    ['PLAIN with authzid', 'PLAIN', { username: 'tim', password: 'x', authorizationId: 'Ursel' }, {}, b64(Buffer.from('Ursel\0tim\0x'))],
    ['LOGIN', 'Login', { username: 'tim', password: 'x' }, {}, undefined],
    ['CRAM-MD5', 'cram-md5', { username: 'tim', password: 'x' }, {}, undefined],
    // Google's documented example.
    ['XOAUTH2', 'xoauth2', { username: 'someuser@example.com', accessToken: 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg' }, {},
      'dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=='],
    // RFC 7628 section 4.1.
    ['OAUTHBEARER', 'OAUTHBEARER', { username: 'user@example.com', accessToken: token }, { host: 'server.example.com', port: 143 },
      b64(Buffer.from(`n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer ${token}\x01\x01`))],
    ['OAUTHBEARER without host, port or user', 'oauthbearer', { username: '', accessToken: 'abc' }, {},
      b64(Buffer.from('n,,\x01auth=Bearer abc\x01\x01'))],
    ['OAUTHBEARER authzid wins over username', 'oauthbearer', { username: 'me', accessToken: 'abc', authorizationId: 'a,b' }, {},
      b64(Buffer.from('n,a=a=2Cb,\x01auth=Bearer abc\x01\x01'))],
  ])('%s', (_label, name, credentials, options, expected) => {
    const mechanism = createSaslMechanism(name, credentials, options)
    expect(mechanism.name).toBe(name.toUpperCase())
    expect(b64(mechanism.initialResponse())).toBe(expected)
  })
})

describe('createSaslMechanism: challenges', () => {
  it('CRAM-MD5 answers the RFC 2195 section 2 example', () => {
    const cram = createSaslMechanism('CRAM-MD5', { username: 'tim', password: 'tanstaaftanstaaf' })
    const challenge = Buffer.from('PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+', 'base64')
    expect(challenge.toString()).toBe('<1896.697170952@postoffice.reston.mci.net>')
    const response = cram.respond(challenge)
    expect(response.toString()).toBe('tim b913a602c7eda7a495b4e6e7334d3890')
    expect(response.toString('base64')).toBe('dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw')
    expect(() => cram.respond(challenge)).toThrow(ProtocolError)
  })

  it('CRAM-MD5 refuses an empty challenge', () => {
    expect(() => createSaslMechanism('CRAM-MD5', { username: 'tim', password: 'x' }).respond(Buffer.alloc(0))).toThrow(ProtocolError)
  })

  it('LOGIN answers user name, then password, then refuses a third prompt', () => {
    const login = createSaslMechanism('LOGIN', { username: 'tim', password: 'secret' })
    expect(login.respond(Buffer.from('Username:')).toString()).toBe('tim')
    expect(login.respond(Buffer.from('Password:')).toString()).toBe('secret')
    expect(() => login.respond(Buffer.from('Password:'))).toThrow(ProtocolError)
  })

  it('PLAIN refuses a challenge after its message, and answers an empty one when withheld', () => {
    const sent = createSaslMechanism('PLAIN', { username: 'tim', password: 'x' })
    sent.initialResponse()
    expect(() => sent.respond(Buffer.alloc(0))).toThrow(ProtocolError)
    const withheld = createSaslMechanism('PLAIN', { username: 'tim', password: 'x' })
    expect(withheld.respond(Buffer.alloc(0)).toString()).toBe('\0tim\0x')
  })

  it.each([
    ['XOAUTH2', '{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}', ''],
    ['OAUTHBEARER', '{"status":"invalid_token","scope":"example_scope"}', '\x01'],
  ])('%s keeps the JSON error and answers it with %j', (name, error, answer) => {
    const mechanism = createSaslMechanism(name, { username: 'u', accessToken: 'abc' }) as { serverError?: string } & ReturnType<typeof createSaslMechanism>
    mechanism.initialResponse()
    expect(mechanism.respond(Buffer.from(error)).toString()).toBe(answer)
    expect(mechanism.serverError).toBe(error)
    expect(() => mechanism.respond(Buffer.from(error))).toThrow(ProtocolError)
  })

  it.each(['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER'])('%s: verifyFinal is a no-op', (name) => {
    const mechanism = createSaslMechanism(name, { username: 'u', password: 'p', accessToken: 't' })
    expect(() => mechanism.verifyFinal(undefined)).not.toThrow()
    expect(() => mechanism.verifyFinal(Buffer.from('anything'))).not.toThrow()
  })
})

describe('createSaslMechanism: refusals (InvalidArgumentError, before anything is sent)', () => {
  it.each<[string, SaslCredentials, object, RegExp]>([
    ['DIGEST-MD5', { username: 'u', password: 'p' }, {}, /unknown SASL mechanism "DIGEST-MD5"/],
    ['GSSAPI', { username: 'u', password: 'p' }, {}, /unknown SASL mechanism/],
    ['PLAIN', { username: 'u' }, {}, /PLAIN needs credentials.password/],
    ['PLAIN', { username: '', password: 'p' }, {}, /PLAIN needs credentials.username/],
    ['PLAIN', { username: 'u', password: 'p\0q' }, {}, /password contains a character/],
    ['LOGIN', { username: 'u', password: '' }, {}, /LOGIN needs credentials.password/],
    ['LOGIN', { username: 'u', password: 'p', authorizationId: 'x' }, {}, /cannot carry an authorization identity/],
    ['CRAM-MD5', { username: 'u', password: 'p', authorizationId: 'x' }, {}, /cannot carry an authorization identity/],
    ['XOAUTH2', { username: 'u', password: 'p' }, {}, /XOAUTH2 needs credentials.accessToken/],
    ['XOAUTH2', { username: 'u', accessToken: 'a\x01b' }, {}, /accessToken contains a character/],
    ['XOAUTH2', { username: 'u\x01', accessToken: 'ab' }, {}, /username contains a character/],
    ['OAUTHBEARER', { username: 'u' }, {}, /OAUTHBEARER needs credentials.accessToken/],
    ['OAUTHBEARER', { username: 'u', accessToken: 't' }, { port: 0 }, /port must be/],
    ['OAUTHBEARER', { username: 'u', accessToken: 't' }, { host: 'a\x01b' }, /host contains a character/],
    ['SCRAM-SHA-1', { username: 'u', accessToken: 't' }, {}, /needs credentials.password/],
  ])('%s with %j', (name, credentials, options, message) => {
    expect(() => createSaslMechanism(name, credentials, options)).toThrow(InvalidArgumentError)
    expect(() => createSaslMechanism(name, credentials, options)).toThrow(message)
  })

  it('never quotes the password in a message', () => {
    expect(() => createSaslMechanism('PLAIN', { username: 'u', password: 'hunter2\0' })).toThrow(/^(?!.*hunter2)/)
  })
})
