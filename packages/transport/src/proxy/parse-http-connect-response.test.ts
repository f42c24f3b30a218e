import { describe, expect, it } from 'vitest'
import { ProtocolError } from '../errors/index.ts'
import { parseHttpConnectResponse } from './parse-http-connect-response.ts'
import { parseProxyUrl } from './proxy-settings.ts'

describe('parseHttpConnectResponse', () => {
  it.each([
    ['HTTP/1.1 200 Connection established\r\n\r\n', 200, 'Connection established', ''],
    ['HTTP/1.0 200 OK\r\nProxy-Agent: tinyproxy/1.11.1\r\n\r\n220 ready\r\n', 200, 'OK', '220 ready\r\n'],
    ['HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="x"\r\n\r\n', 407, 'Proxy Authentication Required', ''],
    ['HTTP/1.1 200\r\n\r\n', 200, '', ''],
  ])('%j', (text, status, reason, rest) => {
    const answer = parseHttpConnectResponse(Buffer.from(text), 16384)
    expect(answer && { status: answer.status, reason: answer.reason, rest: answer.rest.toString() }).toEqual({ status, reason, rest })
  })

  it('reads headers case-insensitively', () => {
    expect(parseHttpConnectResponse(Buffer.from('HTTP/1.1 200 OK\r\nProxy-Agent: x\r\n\r\n'), 100)?.headers.get('proxy-agent')).toBe('x')
  })

  it.each(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK\r\nVia: x\r\n', 'HTT'])('waits for more after %j', (text) => {
    expect(parseHttpConnectResponse(Buffer.from(text), 16384)).toBeUndefined()
  })

  it.each(['SSH-2.0-OpenSSH\r\n', '220 mail ESMTP\r\n\r\n', 'HTTP/2 200\r\n\r\n', 'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', 'garbage'])(
    'refuses %j with ProtocolError',
    (text) => {
      expect(() => parseHttpConnectResponse(Buffer.from(text), 16384)).toThrow(ProtocolError)
    },
  )

  it('refuses an answer that passes the limit before its blank line', () => {
    expect(() => parseHttpConnectResponse(Buffer.from(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(200)}\r\n`), 100)).toThrow(/passed 100 bytes/)
  })
})

describe('parseProxyUrl', () => {
  it.each([
    ['socks5h://dave:s%40cret@gw.example.com', { type: 'socks5', host: 'gw.example.com', port: 1080, username: 'dave', password: 's@cret', remoteDns: true }],
    ['socks5://gw:9050', { type: 'socks5', host: 'gw', port: 9050, username: undefined, password: undefined, remoteDns: false }],
    ['http://[::1]:3128', { type: 'http', host: '::1', port: 3128, username: undefined, password: undefined, tls: false }],
    ['https://u@gw', { type: 'http', host: 'gw', port: 443, username: 'u', password: undefined, tls: true }],
  ])('%s', (text, expected) => {
    expect(parseProxyUrl(text)).toEqual(expected)
  })

  it('does not repeat a URL it cannot parse (it may hold a password)', () => {
    expect(() => parseProxyUrl('socks5://user:hidden@:bad')).toThrow(/^invalid proxy URL$/)
  })
})
