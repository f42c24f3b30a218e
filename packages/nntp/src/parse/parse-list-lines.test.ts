import fc from 'fast-check'
import { ProtocolError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../__fixtures__/load-fixture.ts'
import {
  parseActiveLine,
  parseActiveTimesLine,
  parseCountsLine,
  parseDistribPatsLine,
  parseHeadersLine,
  parseNewsgroupsLine,
} from './parse-list-lines.ts'

describe('LIST lines', () => {
  it('reads INN 2.7.1 LIST ACTIVE', () => {
    const entries = loadFixture('list-active.txt').lines.map(parseActiveLine)
    expect(entries).toContainEqual({ name: 'misc.test', high: 3, low: 1, status: 'y' })
    expect(entries).toContainEqual({ name: 'local.nopost', high: 0, low: 1, status: 'n' })
    expect(entries).toHaveLength(6)
  })

  it('reads INN 2.7.1 LIST COUNTS', () => {
    expect(loadFixture('list-counts.txt').lines.map(parseCountsLine)).toContainEqual({ name: 'misc.test', high: 3, low: 1, count: 3, status: 'y' })
  })

  it('reads INN 2.7.1 LIST NEWSGROUPS (tab-separated, spaces inside)', () => {
    expect(loadFixture('list-newsgroups.txt').lines.map(parseNewsgroupsLine)).toEqual([
      { name: 'misc.test', description: 'For testing of network software.  Very boring.' },
      { name: 'local.empty', description: 'An empty group.' },
    ])
  })

  it('reads INN 2.7.1 LIST HEADERS RANGE', () => {
    expect(loadFixture('list-headers-range.txt').lines.map(parseHeadersLine)).toEqual([':', ':bytes', ':lines'])
  })

  it.each([
    ['alt.binaries =alt.binaries.misc', null],
    ['group 10 1 =other.group', { name: 'group', high: 10, low: 1, status: '=other.group' }],
    ['group 10 1 m ', { status: 'm' }],
  ])('LIST ACTIVE %j', (line, expected) => {
    if (expected === null) expect(() => parseActiveLine(line)).toThrow(ProtocolError)
    else expect(parseActiveLine(line)).toMatchObject(expected)
  })

  it.each([
    ['misc.test 930445408 <creatme@isc.org>', { name: 'misc.test', created: new Date(930445408000), creator: '<creatme@isc.org>' }],
    ['alt.test 930445408', { creator: '' }],
  ])('LIST ACTIVE.TIMES %j', (line, expected) => {
    expect(parseActiveTimesLine(line)).toMatchObject(expected)
  })

  it.each([
    ['3:local.*:local', { weight: 3, wildmat: 'local.*', distribution: 'local' }],
    ['5:*:world', { weight: 5, wildmat: '*', distribution: 'world' }],
  ])('LIST DISTRIB.PATS %j', (line, expected) => {
    expect(parseDistribPatsLine(line)).toEqual(expected)
  })

  it('reads a group with an empty description', () => {
    expect(parseNewsgroupsLine('local.empty')).toEqual({ name: 'local.empty', description: '' })
  })

  it('every LIST parser returns a value or throws ProtocolError (property)', () => {
    const parsers = [parseActiveLine, parseActiveTimesLine, parseCountsLine, parseDistribPatsLine, parseHeadersLine, parseNewsgroupsLine]
    fc.assert(fc.property(fc.string(), fc.constantFrom(...parsers), (line, parse) => {
      try {
        parse(line)
      } catch (error) {
        expect(ProtocolError.isInstance(error)).toBe(true)
      }
    }))
  })
})
