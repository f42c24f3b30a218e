import { InvalidArgumentError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { defaultHeloName, resolveSmtpOptions } from './smtp-client-options.ts'

describe('resolveSmtpOptions', () => {
  it.each([
    ['smtp://mail.example.com', { host: 'mail.example.com', port: 25, tlsMode: 'opportunistic' }],
    ['smtps://mail.example.com', { host: 'mail.example.com', port: 465, tlsMode: 'implicit' }],
    ['smtp://dave:p%40ss@mail.example.com:587', { port: 587, auth: { user: 'dave', pass: 'p@ss' } }],
  ])('%s', (url, expected) => {
    expect(resolveSmtpOptions(url)).toMatchObject(expected)
  })

  it('options beside a URL win, and TLS settings keep the URL mode', () => {
    expect(resolveSmtpOptions('smtps://h', { tls: { ca: 'PEM' } })).toMatchObject({ tlsMode: 'implicit', tlsSettings: { ca: 'PEM' }, port: 465 })
    expect(resolveSmtpOptions('smtp://h:587', { tls: 'required', auth: { user: 'x', pass: 'y' } })).toMatchObject({ tlsMode: 'required', auth: { user: 'x' } })
    expect(resolveSmtpOptions({ host: 'h', tls: 'implicit' })).toMatchObject({ port: 465 })
    expect(resolveSmtpOptions({ host: 'h', tls: { mode: 'none', servername: 'x' } })).toMatchObject({ tlsMode: 'none', tlsSettings: { servername: 'x' } })
  })

  it.each([
    ['pop3://h', {}],
    ['smtp://h', { name: 'two words' }],
    ['smtp://h', { name: 'a\r\nb' }],
    ['smtp://h', { tls: 'sometimes' as 'none' }],
    ['smtp://h\r\n', {}],
  ])('refuses %j %j', (url, options) => {
    expect(() => resolveSmtpOptions(url, options)).toThrow(InvalidArgumentError)
  })

  it('the default EHLO name is a dotted domain or an address literal', () => {
    expect(defaultHeloName()).toMatch(/^(\[127\.0\.0\.1\]|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$/)
  })
})
