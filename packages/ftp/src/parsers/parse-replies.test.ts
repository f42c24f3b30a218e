import { ProtocolError } from '@netc/transport'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fixtureReplies } from '../__fixtures__/fixtures.ts'
import { parseEpsv } from './parse-epsv.ts'
import { parseFeat } from './parse-feat.ts'
import { parseFtpTime } from './parse-ftp-time.ts'
import { parsePasv } from './parse-pasv.ts'
import { parsePwd } from './parse-pwd.ts'

const vsftpd = fixtureReplies('vsftpd-replies.json')
const pure = fixtureReplies('pureftpd-replies.json')
/** The text after the code of a captured single-line reply. */
const text = (reply: string | undefined) => (reply ?? '').slice(4)
/** The CodedReply lines of a captured multi-line reply. */
const lines = (reply: string | undefined) =>
  (reply ?? '').split('\n').map((line, i, all) => (i === 0 || i === all.length - 1 ? line.slice(4) : line))

describe('parsePasv', () => {
  it.each([
    [text(vsftpd['pasv']), { host: '127.0.0.1', port: 42135 }],
    [text(pure['pasv']), { host: '127.0.0.1', port: 42145 }],
    ['Entering Passive Mode 10,0,0,5,4,1', { host: '10.0.0.5', port: 1025 }],
    ['=192,168,1,168,0,21', { host: '192.168.1.168', port: 21 }],
  ])('%s', (reply, expected) => expect(parsePasv(reply)).toEqual(expected))

  it.each(['Entering Passive Mode', '(256,0,0,1,4,1)', '(1,2,3,4,0,0)', '(1,2,3,4,5)'])('refuses %s', (reply) => {
    expect(() => parsePasv(reply)).toThrow(ProtocolError)
  })
})

describe('parseEpsv', () => {
  it.each([
    [text(vsftpd['epsv']), 42131],
    [text(pure['epsv']), 42141],
    ['Entering Extended Passive Mode (!!!6446!)', 6446],
  ])('%s', (reply, port) => expect(parseEpsv(reply)).toBe(port))

  it.each(['(|||0|)', '(|||70000|)', '(||1|)', '(|!|5|)', 'Entering Extended Passive Mode'])('refuses %s', (reply) => {
    expect(() => parseEpsv(reply)).toThrow(ProtocolError)
  })
})

describe('parseFeat', () => {
  it('vsftpd 3.0.3', () => {
    expect([...parseFeat(lines(vsftpd['feat'])).keys()]).toEqual(['EPRT', 'EPSV', 'MDTM', 'PASV', 'REST', 'SIZE', 'TVFS'])
  })

  it('pure-ftpd 1.0.50: MLST with its facts, UTF8, AUTH TLS', () => {
    const features = parseFeat(lines(pure['feat']))
    expect(features.get('MLST')).toBe('type*;size*;sizd*;modify*;UNIX.mode*;UNIX.uid*;UNIX.gid*;unique*;')
    expect(features.get('AUTH')).toBe('TLS')
    expect(features.has('UTF8')).toBe(true)
    expect(features.has('MLSD')).toBe(true)
  })

  it('a one-line 211 reply has no features', () => {
    expect(parseFeat(['No features']).size).toBe(0)
  })
})

describe('parsePwd', () => {
  it.each([
    [text(vsftpd['pwd']), '/'],
    [text(pure['pwd']), '/tmp/tmp.Xr1t1WP1At/anon'],
    ['"/pub/say ""hi""" created', '/pub/say "hi"'],
    ['"/with space" is current', '/with space'],
  ])('%s', (reply, path) => expect(parsePwd(reply)).toBe(path))

  it.each(['no quotes', '"unterminated'])('refuses %s', (reply) => expect(() => parsePwd(reply)).toThrow(ProtocolError))
})

describe('parseFtpTime', () => {
  it('reads MDTM replies from vsftpd and pure-ftpd as UTC', () => {
    expect(parseFtpTime(text(vsftpd['mdtm'])).toISOString()).toBe('2019-03-04T05:06:00.000Z')
    expect(parseFtpTime(text(pure['mdtm'])).toISOString()).toBe('2019-03-04T05:06:00.000Z')
    expect(parseFtpTime('20200101010101.25').getUTCMilliseconds()).toBe(250)
  })

  it.each(['2019', '20191304050600', 'x0190304050600', '20190304250600'])('refuses %s', (value) => {
    expect(() => parseFtpTime(value)).toThrow(ProtocolError)
  })
})

describe('properties: a parser returns a value or throws ProtocolError', () => {
  const inputs = fc.oneof(
    fc.string({ maxLength: 100 }),
    fc.stringMatching(/^.*\(\d{1,4},\d{1,4},\d{1,4},\d{1,4},\d{1,4},\d{1,4}\).*$/),
    fc.tuple(fc.constantFrom('|', '!', 'a', ' '), fc.nat(99999)).map(([d, port]) => `ok (${d}${d}${d}${port}${d})`),
    fc.stringMatching(/^"([^"]|"")*"?.*$/),
    fc.stringMatching(/^\d{14}(\.\d{0,6})?$/),
  )
  it.each([
    ['parsePasv', parsePasv],
    ['parseEpsv', parseEpsv],
    ['parsePwd', parsePwd],
    ['parseFtpTime', parseFtpTime],
    ['parseFeat', (s: string) => parseFeat(s.split('\n'))],
  ])('%s', (_, parse: (s: string) => unknown) => {
    fc.assert(
      fc.property(inputs, (input) => {
        try {
          parse(input)
        } catch (error) {
          if (!ProtocolError.isInstance(error)) throw error
        }
      }),
      { numRuns: 2000 },
    )
  })
})
