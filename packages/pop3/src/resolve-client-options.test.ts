import { InvalidArgumentError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { resolveClientOptions } from './resolve-client-options.ts'

describe('resolveClientOptions', () => {
  it.each([
    ['pop3://pop.example.com', { host: 'pop.example.com', port: 110, tlsMode: 'opportunistic' }],
    ['pop3s://pop.example.com', { host: 'pop.example.com', port: 995, tlsMode: 'implicit' }],
    ['pop3://dave:s%40cret@pop.example.com:1110', { port: 1110, auth: { user: 'dave', pass: 's@cret' } }],
    ['pop3s://user%40example.com@[::1]', { host: '::1', port: 995, auth: { user: 'user@example.com', pass: '' } }],
  ])('%s', (url, expected) => {
    expect(resolveClientOptions(url)).toMatchObject(expected)
  })

  it('lets options win over the URL, and keeps the URL mode when tls only carries settings', () => {
    const resolved = resolveClientOptions('pop3s://dave:x@pop.example.com', { tls: { ca: 'PEM' }, auth: { user: 'eve', pass: 'y' }, port: undefined })
    expect(resolved).toMatchObject({ tlsMode: 'implicit', port: 995, tlsSettings: { ca: 'PEM' }, auth: { user: 'eve', pass: 'y' } })
    expect(resolveClientOptions('pop3://h', { tls: 'required' })).toMatchObject({ tlsMode: 'required', port: 110 })
    expect(resolveClientOptions({ host: 'h', tls: { mode: 'implicit', servername: 'x' } })).toMatchObject({ tlsMode: 'implicit', port: 995, tlsSettings: { servername: 'x' } })
    expect(resolveClientOptions({ host: 'h' })).toMatchObject({ tlsMode: 'opportunistic', port: 110, tlsSettings: {} })
  })

  it.each([
    ['smtp://h'],
    ['pop3://h%0d%0aX'],
    ['pop3://dave:a%0D%0APASS@h'],
  ])('refuses %s', (url) => {
    expect(() => resolveClientOptions(url)).toThrow(InvalidArgumentError)
  })

  it('refuses a missing host and an unknown mode', () => {
    expect(() => resolveClientOptions({})).toThrow(InvalidArgumentError)
    expect(() => resolveClientOptions({ host: 'h', tls: 'sometimes' as 'none' })).toThrow(/unknown tls mode/)
  })
})
