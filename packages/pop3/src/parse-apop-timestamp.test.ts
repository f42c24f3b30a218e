import { describe, expect, it } from 'vitest'
import { dovecotGreeting } from './__fixtures__/dovecot-2.3.19.ts'
import { apopDigest, parseApopTimestamp } from './parse-apop-timestamp.ts'

describe('parseApopTimestamp', () => {
  it.each([
    ['+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>', '<1896.697170952@dbc.mtview.ca.us>'],
    [dovecotGreeting, '<5833.1.6b0c94df.vd+itt2W4TIOOrP3m2y31Q==@vm>'],
    ['+OK <a@b> then <c@d>', '<c@d>'],
    ['+OK ready', undefined],
    ['+OK <no-at-sign>', undefined],
    ['+OK <has space@x>', undefined],
    ['+OK <<@>', '<@>'],
  ])('%j', (greeting, timestamp) => {
    expect(parseApopTimestamp(greeting)).toBe(timestamp)
  })
})

describe('apopDigest', () => {
  it('computes the example of RFC 1939 section 7', () => {
    expect(apopDigest('<1896.697170952@dbc.mtview.ca.us>', 'tanstaaf')).toBe('c4c9334bac560ecc979e58001b3e22fb')
  })
})
