import { InvalidArgumentError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { resolveFtpOptions } from './ftp-client-options.ts'

describe('resolveFtpOptions', () => {
  it.each([
    ['ftp://ftp.example.com', { host: 'ftp.example.com', port: 21, user: 'anonymous', password: 'anonymous@', secure: false, path: undefined }],
    ['ftps://dave:p%40ss@ftp.example.com', { port: 990, user: 'dave', password: 'p@ss', secure: 'implicit' }],
    ['ftp://tmp:tmp@192.168.1.168:2121/pub/dave', { host: '192.168.1.168', port: 2121, path: 'pub/dave' }],
    ['ftp://h/%2Fetc', { path: '/etc' }],
    ['ftp://[::1]:21', { host: '::1' }],
  ])('%s', (url, expected) => {
    expect(resolveFtpOptions(url)).toMatchObject(expected)
  })

  it('lets options override the URL', () => {
    expect(resolveFtpOptions('ftp://a:b@h', { user: 'c', secure: 'explicit', port: 2121 })).toMatchObject({ user: 'c', password: 'b', secure: 'explicit', port: 2121 })
    expect(resolveFtpOptions({ host: 'h', secure: 'implicit' })).toMatchObject({ port: 990 })
  })

  it.each(['smtp://h', 'ftp://h\r\nx', 'ftp://', 'ftp://h:0'])('refuses %j with InvalidArgumentError', (url) => {
    expect(() => resolveFtpOptions(url)).toThrow(InvalidArgumentError)
  })

  it('needs a host', () => {
    expect(() => resolveFtpOptions({})).toThrow(InvalidArgumentError)
  })
})
