import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../errors/index.ts'
import { parseNetrc, type NetrcEntry } from './parse-netrc.ts'

describe('parseNetrc', () => {
  it.each<[string, string, NetrcEntry[]]>([
    ['one line', 'machine ftp.example.com login dave password s3cret', [{ machine: 'ftp.example.com', login: 'dave', password: 's3cret' }]],
    [
      'several lines and entries, with account',
      'machine a.example\n  login anna\n  password pa\n  account acct\nmachine b.example login bob\n',
      [{ machine: 'a.example', login: 'anna', password: 'pa', account: 'acct' }, { machine: 'b.example', login: 'bob' }],
    ],
    ['default', 'default login anonymous password guest@', [{ machine: undefined, login: 'anonymous', password: 'guest@' }]],
    ['an empty file', '', []],
    ['only comments and blanks', '# nothing here\n\n   # still nothing\n', []],
    ['a comment between entries', 'machine a login x # the work account\nmachine b login y', [{ machine: 'a', login: 'x' }, { machine: 'b', login: 'y' }]],
    ['a password starting with #', 'machine a login x password #1secret', [{ machine: 'a', login: 'x', password: '#1secret' }]],
    ['quoted tokens with spaces', 'machine a login "dave smith" password "s3cret pass"', [{ machine: 'a', login: 'dave smith', password: 's3cret pass' }]],
    ['backslash escapes in quotes', 'machine a password "p\\"w\\\\x\\n"', [{ machine: 'a', password: 'p"w\\xn' }]],
    ['backslash escapes outside quotes', 'machine a password p\\ w\\"', [{ machine: 'a', password: 'p w"' }]],
    ['an empty quoted password', 'machine a login x password ""', [{ machine: 'a', login: 'x', password: '' }]],
    ['a quoted token across lines', 'machine a password "l1\nl2" login x', [{ machine: 'a', password: 'l1\nl2', login: 'x' }]],
    ['user as a synonym of login', 'machine a user x', [{ machine: 'a', login: 'x' }]],
    ['tabs and CRLF', 'machine\ta\r\n\tlogin\tx\r\n\tpassword\ty\r\n', [{ machine: 'a', login: 'x', password: 'y' }]],
    [
      'a macdef skipped up to the empty line',
      'machine a login x\nmacdef init\ncd /pub\nmachine fake login evil\n\nmachine b login y',
      [{ machine: 'a', login: 'x' }, { machine: 'b', login: 'y' }],
    ],
    ['a macdef with CRLF lines', 'macdef init\r\nbin\r\n\r\nmachine b login y', [{ machine: 'b', login: 'y' }]],
    ['a macdef running to the end', 'machine a login x\nmacdef init\ncd /pub\nput file', [{ machine: 'a', login: 'x' }]],
    ['keywords as values', 'machine machine login password password login', [{ machine: 'machine', login: 'password', password: 'login' }]],
    ['a repeated machine (both kept, in order)', 'machine a login x\nmachine a login y', [{ machine: 'a', login: 'x' }, { machine: 'a', login: 'y' }]],
  ])('%s', (_label, text, expected) => {
    expect(parseNetrc(text)).toEqual(expected)
  })

  it.each<[string, string, RegExp]>([
    ['an unknown keyword', 'machine a login x\nport 21', /line 2: unexpected token/],
    ['a password with a space, unquoted', 'machine a password two words', /line 1: unexpected token/],
    ['login before any machine', 'login x', /"login" outside a machine or default entry/],
    ['login after a macdef', 'macdef m\nx\n\nlogin y', /line 4: "login" outside/],
    ['machine without a name', 'machine', /"machine" without a value/],
    ['password without a value', 'machine a password', /"password" without a value/],
    ['an unterminated quote', 'machine a password "abc', /unterminated quoted token/],
  ])('refuses %s', (_label, text, message) => {
    expect(() => parseNetrc(text)).toThrow(InvalidArgumentError)
    expect(() => parseNetrc(text)).toThrow(message)
  })

  it('never quotes a token in its messages', () => {
    expect(() => parseNetrc('machine a password two hunter2')).not.toThrow(/hunter2/)
  })

  it('returns entries or throws InvalidArgumentError for any text', () => {
    const words = fc.constantFrom('machine', 'default', 'login', 'password', 'account', 'macdef', 'user', '#', 'x', '"a b"', '"', '\\', ' ', '\n', '\t')
    fc.assert(
      fc.property(fc.array(words, { maxLength: 30 }), fc.string(), (parts, noise) => {
        for (const text of [parts.join(' '), parts.join(''), noise]) {
          try {
            expect(Array.isArray(parseNetrc(text))).toBe(true)
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidArgumentError)
          }
        }
      }),
    )
  })

  it('reads back any login and password written quoted', () => {
    const quote = (value: string): string => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
    fc.assert(
      fc.property(fc.string(), fc.string(), (login, password) => {
        expect(parseNetrc(`machine h login ${quote(login)} password ${quote(password)}`)).toEqual([{ machine: 'h', login, password }])
      }),
    )
  })
})
