import { describe, expect, it } from 'vitest'
import { chooseSaslMechanism } from './choose-sasl-mechanism.ts'
import type { SaslCredentials } from './sasl-mechanism.ts'

const password: SaslCredentials = { username: 'u', password: 'p' }
const token: SaslCredentials = { username: 'u', accessToken: 't' }

describe('chooseSaslMechanism', () => {
  it.each<[string, string[], SaslCredentials, readonly string[] | undefined, string | undefined]>([
    ['the strongest password mechanism', ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'], password, undefined, 'SCRAM-SHA-256'],
    ['SCRAM-SHA-1 over CRAM-MD5', ['LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1'], password, undefined, 'SCRAM-SHA-1'],
    ['CRAM-MD5 over PLAIN', ['PLAIN', 'CRAM-MD5'], password, undefined, 'CRAM-MD5'],
    ['PLAIN over LOGIN', ['LOGIN', 'PLAIN'], password, undefined, 'PLAIN'],
    ['names case-insensitively (Exchange says "login")', ['login', 'gssapi'], password, undefined, 'LOGIN'],
    ['nothing usable', ['GSSAPI', 'NTLM', 'EXTERNAL'], password, undefined, undefined],
    ['nothing offered', [], password, undefined, undefined],
    ['OAUTHBEARER over XOAUTH2', ['XOAUTH2', 'OAUTHBEARER', 'PLAIN'], token, undefined, 'OAUTHBEARER'],
    ['no password mechanism for a token', ['PLAIN', 'SCRAM-SHA-256'], token, undefined, undefined],
    ['no token mechanism for a password', ['XOAUTH2'], password, undefined, undefined],
    ['a token first when both', ['PLAIN', 'XOAUTH2'], { ...password, accessToken: 't' }, undefined, 'XOAUTH2'],
    ['within allow', ['PLAIN', 'SCRAM-SHA-256'], password, ['plain'], 'PLAIN'],
    ['allow keeps netc order', ['PLAIN', 'SCRAM-SHA-256', 'LOGIN'], password, ['LOGIN', 'SCRAM-SHA-256'], 'SCRAM-SHA-256'],
    ['allow excluding everything', ['PLAIN'], password, ['LOGIN'], undefined],
    ['only what carries an authzid', ['LOGIN', 'CRAM-MD5', 'PLAIN'], { ...password, authorizationId: 'x' }, undefined, 'PLAIN'],
    ['empty password is none', ['PLAIN'], { username: 'u', password: '' }, undefined, undefined],
  ])('%s', (_label, offered, credentials, allow, expected) => {
    expect(chooseSaslMechanism(offered, credentials, allow === undefined ? {} : { allow })).toBe(expected)
  })
})
