import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../errors/index.ts'
import { defaultPort, netcSchemes } from './default-port.ts'
import { parseNetcUrl, type NetcUrl } from './parse-netc-url.ts'

type Expected = Partial<Omit<NetcUrl, 'searchParams'>> & { query?: Record<string, string> }

const pick = (url: NetcUrl): Expected => {
  const { searchParams, ...rest } = url
  return { ...rest, query: Object.fromEntries(searchParams) }
}

describe('parseNetcUrl', () => {
  it.each<[string, Expected]>([
    ['ftp://tmp:tmp@192.168.1.168', { scheme: 'ftp', protocol: 'ftp', implicitTls: false, host: '192.168.1.168', port: 21, username: 'tmp', password: 'tmp', path: '' }],
    ['ftps://ftp.example.com/pub/file.txt', { scheme: 'ftps', protocol: 'ftp', implicitTls: true, port: 990, path: 'pub/file.txt' }],
    ['ftp://host/%2Fetc/motd', { port: 21, path: '/etc/motd' }],
    ['ftp://host:21/', { port: 21, path: '' }],
    ['ftp://host/a%20b/c%3Bd', { path: 'a b/c;d' }],
    ['smtp://mail.example.com:587', { scheme: 'smtp', protocol: 'smtp', implicitTls: false, host: 'mail.example.com', port: 587 }],
    ['smtps://mail.example.com', { scheme: 'smtps', implicitTls: true, port: 465 }],
    ['pop3s://user:pass@pop.example.com', { scheme: 'pop3s', protocol: 'pop3', implicitTls: true, port: 995, username: 'user', password: 'pass' }],
    ['pop3://pop.example.com', { port: 110 }],
    ['nntps://news.example.org', { scheme: 'nntps', protocol: 'nntp', port: 563 }],
    ['nntp://news.example.org/comp.lang.python', { port: 119, path: 'comp.lang.python' }],
    ['SMTP://Mail.Example.COM', { scheme: 'smtp', host: 'mail.example.com' }],
    ['smtp://user%40example.com:p%40ss%3Aw%2Frd@mail.example.com', { username: 'user@example.com', password: 'p@ss:w/rd' }],
    ['smtp://only-user@mail.example.com', { username: 'only-user' }],
    ['smtp://:secret@mail.example.com', { password: 'secret' }],
    ['smtp://[::1]:2525', { host: '::1', port: 2525 }],
    ['ftp://[2001:DB8::1]', { host: '2001:db8::1', port: 21 }],
    ['smtp://bücher.example', { host: 'xn--bcher-kva.example' }],
    ['ftp://bücher.example', { host: 'xn--bcher-kva.example' }],
    ['smtp://ex%41mple.com', { host: 'example.com' }],
    ['smtp://127.0.0.1:1', { host: '127.0.0.1', port: 1 }],
    ['nntp://h:65535', { port: 65535 }],
    ['smtp://h?timeout=5000&name=a%20b', { query: { timeout: '5000', name: 'a b' } }],
    ['  smtp://h  ', { host: 'h' }],
  ])('%s', (input, expected) => {
    expect(pick(parseNetcUrl(input))).toMatchObject(expected)
  })

  it('leaves out an empty user name or password', () => {
    expect(parseNetcUrl('smtp://only-user@h')).not.toHaveProperty('password')
    expect(parseNetcUrl('smtp://:secret@h')).not.toHaveProperty('username')
    expect(parseNetcUrl('smtp://h')).not.toHaveProperty('username')
  })

  it('takes a URL object', () => {
    expect(parseNetcUrl(new URL('pop3://u@h:1100')).port).toBe(1100)
  })

  it.each<[string, RegExp]>([
    ['http://example.com', /unsupported URL scheme "http:"/],
    ['imap://example.com', /unsupported URL scheme "imap:"/],
    ['ftpx://example.com', /unsupported URL scheme/],
    ['mailto:dave@example.com', /unsupported URL scheme/],
    ['smtp://h:0', /bad port "0"/],
    ['smtp://h:65536', /bad port "65536"/],
    ['smtp://h:99999999', /bad port/],
    ['smtp://h:-1', /bad port/],
    ['smtp://h:2x', /bad port "2x"/],
    ['smtp://[::1]:abc', /bad port "abc"/],
    ['smtp://', /missing host|not a valid URL/],
    ['smtp:///path', /missing host/],
    ['smtp:host', /missing host/],
    ['nntps://user:pw@/group', /missing host|not a valid URL/],
    ['not a url', /not a valid URL/],
    ['', /not a valid URL/],
    ['smtp://u%0D%0AMAIL:x@h', /user name .* CR, LF or NUL/],
    ['smtp://u:p%0Aw@h', /password .* CR, LF or NUL/],
    ['ftp://h/file%0D%0ADELE%20x', /path .* CR, LF or NUL/],
    ['ftp://h/file%00', /path .* CR, LF or NUL/],
    ['smtp://h?x=%0D%0A', /query .* CR, LF or NUL/],
    ['smtp://h%0A.com', /CR, LF or NUL|invalid host/],
    ['smtp://h\r\n.com', /must not contain CR, LF, TAB or NUL/],
    ['ftp://h/a\tb', /must not contain CR, LF, TAB or NUL/],
    ['smtp://u%zz@h', /malformed percent-encoding in the user name/],
    ['ftp://h/%E0%A4%A', /malformed percent-encoding in the path/],
    ['smtp://a%25b', /invalid host/],
  ])('refuses %j', (input, message) => {
    expect(() => parseNetcUrl(input)).toThrow(InvalidArgumentError)
    expect(() => parseNetcUrl(input)).toThrow(message)
  })

  it('never shows the password in a message', () => {
    for (const input of ['smtp://dave:hunter2@h:0', 'smtp://dave:hunter2@h/%0A', 'smtp://dave:hunter2@h:99x']) {
      expect(() => parseNetcUrl(input)).toThrow(/\*\*\*@/)
      expect(() => parseNetcUrl(input)).not.toThrow(/hunter2/)
    }
  })

  it.each(netcSchemes.map((scheme) => [scheme]))('%s: the default port applies when none is given', (scheme) => {
    expect(parseNetcUrl(`${scheme}://example.com`).port).toBe(defaultPort(scheme))
  })

  it('returns a NetcUrl or throws InvalidArgumentError for any string', () => {
    const schemes = fc.constantFrom('', 'ftp://', 'smtps://', 'nntp://', 'pop3:', 'http://')
    fc.assert(
      fc.property(schemes, fc.string(), fc.string({ unit: 'grapheme-ascii' }), (scheme, rest, ascii) => {
        for (const input of [rest, scheme + rest, scheme + ascii]) {
          try {
            const url = parseNetcUrl(input)
            expect(url.port).toBeGreaterThan(0)
            expect(`${url.host}${url.path}${url.username ?? ''}${url.password ?? ''}`).not.toMatch(/[\r\n\0]/)
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidArgumentError)
          }
        }
      }),
      { numRuns: 500 },
    )
  })

  it('resolves dot segments, as WHATWG URL does', () => {
    expect(parseNetcUrl('ftp://h/a/../b/./c').path).toBe('b/c')
    expect(parseNetcUrl('ftp://h/%2e%2e').path).toBe('')
  })

  it('gives back the user, password, port and path it was built from', () => {
    const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\r\n\0]/.test(s) && s !== '.' && s !== '..')
    fc.assert(
      fc.property(fc.constantFrom(...netcSchemes), text, text, fc.integer({ min: 1, max: 65535 }), text, (scheme, user, password, port, path) => {
        const url = parseNetcUrl(`${scheme}://${encodeURIComponent(user)}:${encodeURIComponent(password)}@host.example:${port}/${encodeURIComponent(path)}`)
        expect(url).toMatchObject({ scheme, host: 'host.example', port, username: user, password, path })
      }),
      { numRuns: 1000 },
    )
  })
})

describe('defaultPort', () => {
  it.each([
    ['ftp', 21], ['ftps', 990], ['smtp', 25], ['smtps', 465], ['pop3', 110], ['pop3s', 995], ['nntp', 119], ['nntps', 563], ['SMTPS:', 465],
  ])('%s is %i', (scheme, port) => {
    expect(defaultPort(scheme)).toBe(port)
  })

  it('refuses an unknown scheme', () => {
    expect(() => defaultPort('imap')).toThrow(InvalidArgumentError)
  })
})
