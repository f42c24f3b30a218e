import { ProtocolError } from '@netc/transport'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fixture } from '../__fixtures__/fixtures.ts'
import { parseDosListLine } from './parse-dos-list-line.ts'
import { parseEplfListLine } from './parse-eplf-list-line.ts'
import { parseList, parseListLine, parseMlsd } from './parse-list.ts'
import { parseMlsxLine } from './parse-mlsx-line.ts'
import { parseUnixListLine } from './parse-unix-list-line.ts'

const now = new Date(Date.UTC(2026, 10, 29, 22, 0))
const summary = (text: string) => parseList(text, { now }).map((e) => [e.type, e.name, e.size, e.modifiedAt?.toISOString(), e.target])

describe('parseList: captured from real servers', () => {
  it('vsftpd 3.0.3 (LIST -a: . and .. left out, spaces kept, year and time forms)', () => {
    expect(summary(fixture('vsftpd-list-a.txt'))).toEqual([
      ['file', 'file with spaces.txt', 2, '2026-11-29T21:11:00.000Z', undefined],
      ['file', 'hello.txt', 6, '2019-03-04T00:00:00.000Z', undefined],
      ['symlink', 'link', 9, '2026-11-29T21:11:00.000Z', 'hello.txt'],
      ['directory', 'sub dir', 4096, '2026-11-29T21:11:00.000Z', undefined],
    ])
  })

  it('pure-ftpd 1.0.50 gives the same entries in its own column widths', () => {
    const pure = parseList(fixture('pureftpd-list.txt'), { now })
    expect(pure.map((e) => [e.name, e.type, e.size, e.owner, e.group])).toEqual([
      ['file with spaces.txt', 'file', 2, 'root', 'root'],
      ['hello.txt', 'file', 6, 'root', 'root'],
      ['link', 'symlink', 9, 'root', 'root'],
      ['sub dir', 'directory', 4096, 'root', 'root'],
    ])
    expect(pure[1]?.mode).toBe(0o644)
    expect(pure[0]?.raw).toBe('-rw-r--r--    1 root       root                2 Nov 29 21:11 file with spaces.txt')
  })

  it('ProFTPD-style lines: devices, ACL marks, setgid/sticky bits, double spaces in names', () => {
    const entries = parseList(fixture('proftpd-list.txt'), { now })
    expect(entries.map((e) => [e.type, e.name, e.size])).toEqual([
      ['directory', 'incoming', 4096],
      ['file', '100MB.bin', 104857600],
      ['file', 'README', 57],
      ['symlink', 'latest', 10],
      ['device', 'null', undefined],
      ['device', 'sda', undefined],
      ['file', 'name  with  two  spaces', 0],
      ['file', 'acl-file.txt', 1234],
      ['directory', 'sticky', 4096],
    ])
    expect(entries[2]?.modifiedAt?.toISOString()).toBe('2025-12-31T23:59:00.000Z') // a year-less date ahead of now is last year's
    expect(entries[3]?.target).toBe('releases/1.2')
    expect(entries[8]?.mode).toBe(0o3775)
  })

  it('Unix lines without a group column, after a total line', () => {
    expect(parseList(fixture('unix-no-group-list.txt'), { now }).map((e) => [e.name, e.owner, e.group, e.size])).toEqual([
      ['no-group.txt', 'owner', undefined, 2048],
      ['folder', 'owner', undefined, 0],
    ])
  })

  it('IIS DOS lines: <DIR>, thousands separators, 12-hour clock, two- and four-digit years', () => {
    expect(summary(fixture('iis-dos-list.txt'))).toEqual([
      ['directory', 'dave', undefined, '2020-01-02T10:15:00.000Z', undefined],
      ['file', 'dave.txt', 512, '2020-01-02T10:16:00.000Z', undefined],
      ['file', 'big file.iso', 1048576, '2019-12-24T23:59:00.000Z', undefined],
      ['directory', 'Four digit year', undefined, '2021-03-15T13:05:00.000Z', undefined],
      ['file', 'empty.txt', 0, '2000-04-27T21:09:00.000Z', undefined],
    ])
  })

  it('EPLF', () => {
    expect(summary(fixture('eplf-list.txt'))).toEqual([
      ['directory', 'dev', undefined, '1996-02-13T23:58:22.000Z', undefined],
      ['file', 'RFCEPLF', 10376, '1996-08-13T17:19:43.000Z', undefined],
      ['file', 'name with spaces.txt', 1234, '1996-02-13T23:58:22.000Z', undefined],
    ])
  })

  it('an unknown format yields type unknown with the raw line, never an error', () => {
    expect(parseList('this is no listing\r\n\r\nVOL001 2024/01/01 file.dat\r\n')).toEqual([
      { name: 'this is no listing', type: 'unknown', raw: 'this is no listing' },
      { name: 'VOL001 2024/01/01 file.dat', type: 'unknown', raw: 'VOL001 2024/01/01 file.dat' },
    ])
  })
})

describe('parseMlsd / parseMlsxLine', () => {
  it('pure-ftpd 1.0.50 MLSD: cdir/pdir left out, symlinks, sizd for directories', () => {
    const entries = parseMlsd(fixture('pureftpd-mlsd.txt'))
    expect(entries.map((e) => [e.type, e.name, e.size, e.mode, e.unique])).toEqual([
      ['directory', 'sub dir', 4096, 0o755, 'fe00g20c331'],
      ['file', 'file with spaces.txt', 2, 0o644, 'fe00g20c362'],
      ['symlink', 'link', 9, 0o777, 'fe00g20c371'],
      ['file', 'hello.txt', 6, 0o644, 'fe00g20c351'],
    ])
    expect(entries[3]?.modifiedAt?.toISOString()).toBe('2019-03-04T05:06:00.000Z')
    expect(entries[3]?.facts?.['unix.uid']).toBe('0')
  })

  it.each([
    ['Type=File;Size=1;Modify=20200101000000.5; x', { type: 'file', size: 1, name: 'x' }],
    ['type=OS.unix=slink:/etc/hosts; hosts', { type: 'symlink', target: '/etc/hosts', name: 'hosts' }],
    ['type=dir;perm=flcdmpe; a b ', { type: 'directory', name: 'a b ' }],
    ['; bare', { type: 'unknown', name: 'bare' }],
  ])('%s', (line, expected) => {
    expect(parseMlsxLine(line)).toMatchObject(expected)
  })

  it.each(['no-space-here', 'type=file;size=abc; x', 'type=file;modify=2020; x', 'noequals; x', 'type=file; '])(
    'refuses %s with ProtocolError',
    (line) => {
      expect(() => parseMlsxLine(line)).toThrow(ProtocolError)
    },
  )
})

describe('properties', () => {
  const anyLine = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.stringMatching(/^[-dlbc][rwx-]{9} +\d+ \w+ +\w* +\d+ [A-Z][a-z]{2} +\d\d? +(\d{4}|\d\d:\d\d) .+$/),
    fc.stringMatching(/^\d\d-\d\d-\d\d +\d\d:\d\d[AP]M +(<DIR>|\d+) +.+$/),
    fc.stringMatching(/^\+[im/rs0-9,.]*\t.*$/),
  )
  const onlyProtocolErrors = (run: () => unknown) => {
    try {
      run()
    } catch (error) {
      if (!ProtocolError.isInstance(error)) throw error
    }
  }

  it('the LIST parsers never throw and keep the raw line', () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        for (const parse of [parseUnixListLine, parseDosListLine, parseEplfListLine]) {
          const entry = parse(line)
          if (entry !== undefined) expect(entry.raw).toBe(line)
        }
        const entry = parseListLine(line)
        if (entry !== undefined) expect(entry.raw).toBe(line)
      }),
      { numRuns: 2000 },
    )
  })

  it('parseMlsxLine returns a value or throws ProtocolError', () => {
    const mlsx = fc.oneof(fc.string({ maxLength: 120 }), fc.stringMatching(/^([a-zA-Z.]+=[^; ]*;)* .*$/))
    fc.assert(fc.property(mlsx, (line) => onlyProtocolErrors(() => parseMlsxLine(line))), { numRuns: 2000 })
  })
})
