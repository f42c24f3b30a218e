import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../__fixtures__/load-fixture.ts'
import { parseCapabilities } from './parse-capabilities.ts'

describe('parseCapabilities', () => {
  it('reads INN 2.7.1 in reader mode (nnrpd)', () => {
    const fixture = loadFixture('capabilities-reader.txt')
    expect(fixture.status).toBe('101 Capability list:')
    const capabilities = parseCapabilities(fixture.lines)
    expect(capabilities).toMatchObject({
      versions: [2],
      implementation: 'INN 2.7.1',
      reader: true,
      modeReader: false,
      post: true,
      ihave: false,
      streaming: false,
      over: { msgid: false },
      hdr: true,
      newnews: false,
      startTls: true,
      authinfo: { user: false, sasl: true },
      compress: ['DEFLATE'],
    })
    expect(capabilities.list).toEqual([
      'ACTIVE', 'ACTIVE.TIMES', 'COUNTS', 'DISTRIB.PATS', 'DISTRIBUTIONS', 'HEADERS', 'MODERATORS', 'MOTD', 'NEWSGROUPS', 'OVERVIEW.FMT', 'SUBSCRIPTIONS',
    ])
    expect(capabilities.sasl).toEqual(['SCRAM-SHA-512', 'SCRAM-SHA-384', 'SCRAM-SHA-256', 'SCRAM-SHA-224', 'SCRAM-SHA-1', 'DIGEST-MD5', 'CRAM-MD5', 'NTLM'])
    expect(capabilities.raw.get('XPAT')).toEqual([])
  })

  it('reads INN 2.7.1 in transit mode (innd)', () => {
    const capabilities = parseCapabilities(loadFixture('capabilities-transit.txt').lines)
    expect(capabilities).toMatchObject({
      reader: false,
      modeReader: true,
      ihave: true,
      streaming: true,
      post: false,
      over: undefined,
      authinfo: { user: false, sasl: false },
      list: ['ACTIVE', 'ACTIVE.TIMES', 'MOTD', 'NEWSGROUPS'],
    })
  })

  it.each([
    [['VERSION 2 3', 'OVER MSGID', 'AUTHINFO USER SASL', 'NEWNEWS', 'STARTTLS'], { versions: [2, 3], over: { msgid: true }, authinfo: { user: true, sasl: true }, newnews: true, startTls: true }],
    [['version 2', 'authinfo user', 'compress deflate'], { versions: [2], authinfo: { user: true, sasl: false }, compress: ['DEFLATE'] }],
    [['LIST ACTIVE', 'LIST NEWSGROUPS ACTIVE'], { list: ['ACTIVE', 'NEWSGROUPS'] }],
    [['', '  ', '?? junk', 'VERSION x'], { versions: [], implementation: undefined }],
    [['IMPLEMENTATION  Leafnode  2.0'], { implementation: 'Leafnode 2.0' }],
  ])('reads %j', (lines, expected) => {
    expect(parseCapabilities(lines)).toMatchObject(expected)
  })

  it('never throws', () => {
    fc.assert(fc.property(fc.array(fc.string()), (lines) => {
      parseCapabilities(lines)
    }))
  })
})
