import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../errors/index.ts'
import { matchesNoProxy } from './matches-no-proxy.ts'
import { proxyFromEnvironment } from './proxy-from-environment.ts'
import { describeProxy } from './proxy-settings.ts'
import { resolveConnector } from './resolve-connector.ts'
import { connectSocket } from '../connection/connect-socket.ts'

const chosen = (protocol: string, host: string, env: Record<string, string>, port?: number): string | undefined => {
  const proxy = proxyFromEnvironment(protocol, host, port, env)
  return proxy === undefined ? undefined : describeProxy(proxy)
}

describe('proxyFromEnvironment', () => {
  it.each([
    ['smtp', 'mail.example.com', {}, undefined],
    ['smtp', 'mail.example.com', { ALL_PROXY: 'socks5h://gw:1080' }, 'socks5h://gw:1080'],
    ['smtp', 'mail.example.com', { all_proxy: 'http://low:3128', ALL_PROXY: 'http://up:3128' }, 'http://low:3128'],
    ['smtp', 'mail.example.com', { all_proxy: '', ALL_PROXY: 'http://up:3128' }, 'http://up:3128'],
    ['smtp', 'mail.example.com', { NETC_PROXY: 'socks5://netc', ALL_PROXY: 'http://all:3128' }, 'socks5://netc:1080'],
    ['smtp', 'mail.example.com', { NETC_SMTP_PROXY: 'http://smtp-gw', NETC_PROXY: 'socks5h://netc' }, 'http://smtp-gw:80'],
    ['ftp', 'ftp.example.com', { NETC_SMTP_PROXY: 'http://smtp-gw', NETC_PROXY: 'socks5h://netc' }, 'socks5h://netc:1080'],
    ['smtp', 'mail.example.com', { HTTP_PROXY: 'http://web:3128', https_proxy: 'http://web:3128' }, undefined],
    ['smtp', 'gw:1080', { ALL_PROXY: 'gw:3128' }, 'http://gw:3128'],
    ['nntp', '127.0.0.1', { ALL_PROXY: 'socks5h://gw:1080' }, undefined],
    ['nntp', 'localhost', { ALL_PROXY: 'socks5h://gw:1080' }, undefined],
    ['nntp', '::1', { ALL_PROXY: 'socks5h://gw:1080' }, undefined],
    ['nntp', 'news.example.org', { ALL_PROXY: 'socks5h://gw:1080', NO_PROXY: '*' }, undefined],
    ['nntp', 'news.example.org', { ALL_PROXY: 'socks5h://gw:1080', NO_PROXY: 'example.org' }, undefined],
    ['nntp', 'news.example.org', { ALL_PROXY: 'socks5h://gw:1080', no_proxy: '.example.org', NO_PROXY: 'other' }, undefined],
    ['nntp', 'news.example.org', { ALL_PROXY: 'socks5h://gw:1080', NO_PROXY: 'ample.org' }, 'socks5h://gw:1080'],
    ['pop3', '10.1.2.3', { ALL_PROXY: 'socks5h://gw:1080', NO_PROXY: 'intranet, 10.0.0.0/8' }, undefined],
    ['pop3', '11.1.2.3', { ALL_PROXY: 'socks5h://gw:1080', NO_PROXY: '10.0.0.0/8' }, 'socks5h://gw:1080'],
  ] as const)('%s to %s with %j: %s', (protocol, host, env, expected) => {
    expect(chosen(protocol, host, env)).toBe(expected)
  })

  it('applies a host:port entry of NO_PROXY to that port only', () => {
    const env = { ALL_PROXY: 'socks5h://gw:1080', NO_PROXY: 'mail.example.com:25' }
    expect(chosen('smtp', 'mail.example.com', env, 25)).toBeUndefined()
    expect(chosen('smtp', 'mail.example.com', env, 587)).toBe('socks5h://gw:1080')
  })

  it('names the variable, not its value, when the value is not a proxy URL', () => {
    expect(() => proxyFromEnvironment('smtp', 'mail.example.com', 25, { ALL_PROXY: 'ftp://user:hidden@gw' })).toThrow(InvalidArgumentError)
    expect(() => proxyFromEnvironment('smtp', 'mail.example.com', 25, { ALL_PROXY: 'ftp://user:hidden@gw' })).toThrow(/^ALL_PROXY: unsupported proxy scheme ftp:\/\//)
  })
})

describe('matchesNoProxy', () => {
  it.each([
    ['example.com', 'example.com', undefined, true],
    ['example.com', 'www.example.com', undefined, true],
    ['.example.com', 'example.com', undefined, true],
    ['*.example.com', 'a.b.example.com', undefined, true],
    ['example.com', 'notexample.com', undefined, false],
    ['EXAMPLE.com.', 'www.Example.COM', undefined, true],
    ['192.168.1.5', '192.168.1.5', undefined, true],
    ['192.168.1.5', '192.168.1.50', undefined, false],
    ['192.168.0.0/16', '192.168.200.1', undefined, true],
    ['fd00::/8', 'fd12::1', undefined, true],
    ['::1', '[::1]', undefined, true],
    ['[2001:db8::1]:119', '2001:db8::1', 119, true],
    ['[2001:db8::1]:119', '2001:db8::1', 563, false],
    ['a, b ,news.example.org', 'news.example.org', undefined, true],
    ['', 'news.example.org', undefined, false],
  ])('%j matches %s:%s → %s', (list, host, port, expected) => {
    expect(matchesNoProxy(list, host, port)).toBe(expected)
  })
})

describe('resolveConnector', () => {
  const env = { ALL_PROXY: 'socks5h://gw:1080' }
  const seam = connectSocket
  it('takes the environment when neither proxy nor connect is given', () => {
    expect(resolveConnector({ protocol: 'smtp', host: 'mail.example.com', port: 25, env }).proxy?.host).toBe('gw')
  })
  it('leaves a caller-given connect seam alone', () => {
    expect(resolveConnector({ protocol: 'smtp', host: 'mail.example.com', port: 25, env, connect: seam })).toEqual({ connect: seam, proxy: undefined })
  })
  it('opts out with proxy: false', () => {
    expect(resolveConnector({ protocol: 'smtp', host: 'mail.example.com', port: 25, env, proxy: false })).toEqual({ connect: connectSocket, proxy: undefined })
  })
  it('takes an explicit proxy even to loopback', () => {
    expect(resolveConnector({ protocol: 'smtp', host: '127.0.0.1', port: 25, proxy: 'http://gw:3128' }).proxy).toEqual({
      type: 'http',
      host: 'gw',
      port: 3128,
      username: undefined,
      password: undefined,
      tls: false,
    })
  })
})
