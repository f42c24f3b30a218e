import { describe, expect, it } from 'vitest'
import { lookupNetrc } from './lookup-netrc.ts'
import { parseNetrc } from './parse-netrc.ts'

describe('lookupNetrc', () => {
  const entries = parseNetrc(`
    machine ftp.example.com login anna password a1
    machine ftp.example.com login dave password d1
    machine FTP.Other.org password shared
    machine ::1 login local password l1
    default login anonymous password guest@
  `)

  it.each<[string, string | undefined, string | undefined]>([
    ['ftp.example.com', undefined, 'a1'],
    ['ftp.example.com', 'dave', 'd1'],
    ['FTP.EXAMPLE.COM', 'anna', 'a1'],
    ['ftp.example.com', 'zoe', undefined],
    ['ftp.other.org', 'zoe', 'shared'],
    ['[::1]', undefined, 'l1'],
    ['unknown.example', undefined, 'guest@'],
    ['unknown.example', 'anonymous', 'guest@'],
    ['unknown.example', 'bob', undefined],
  ])('%s as %s gives %s', (host, login, password) => {
    expect(lookupNetrc(entries, host, login)?.password).toBe(password)
  })

  it('is undefined without a match or a default', () => {
    expect(lookupNetrc(parseNetrc('machine a login x'), 'b')).toBeUndefined()
    expect(lookupNetrc([], 'b')).toBeUndefined()
  })
})
