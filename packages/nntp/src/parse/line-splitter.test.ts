import fc from 'fast-check'
import { ProtocolError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { LineSplitter, splitText } from './line-splitter.ts'

function split(chunks: Buffer[], max = 1024): string[] {
  const splitter = new LineSplitter(max)
  const lines = chunks.flatMap((chunk) => {
    const text = splitter.pushText(chunk)
    return text === undefined ? [] : splitText(text)
  })
  const rest = splitter.endText()
  return rest === undefined ? lines : [...lines, rest]
}

describe('LineSplitter', () => {
  it('cuts CRLF and bare LF lines, keeps empty lines and a last unterminated line', () => {
    expect(split([Buffer.from('a\r\nb\n\r\nc')])).toEqual(['a', 'b', '', 'c'])
  })

  it('keeps a UTF-8 character split between chunks whole', () => {
    const bytes = Buffer.from('Grüße\r\n')
    expect(split([bytes.subarray(0, 3), bytes.subarray(3)])).toEqual(['Grüße'])
  })

  it('refuses a line over the limit with ProtocolError, also when it comes in pieces', () => {
    expect(() => split([Buffer.from('x'.repeat(30))], 16)).toThrow(ProtocolError)
    expect(() => split([Buffer.from('x'.repeat(10)), Buffer.from('x'.repeat(10))], 16)).toThrow(ProtocolError)
  })

  it('checks every line of a chunk longer than the limit, and takes lines that fit', () => {
    const fits = `${'x'.repeat(13)}\r\n`
    expect(split([Buffer.from(fits.repeat(5))], 16)).toEqual(Array.from({ length: 5 }, () => 'x'.repeat(13)))
    expect(() => split([Buffer.from(`${fits}${'y'.repeat(15)}\r\n${fits}`)], 16)).toThrow(ProtocolError)
    expect(() => split([Buffer.from(`${'z'.repeat(10)}`), Buffer.from(`${'z'.repeat(5)}\r\n${fits}`)], 16)).toThrow(ProtocolError)
  })

  it('pushText gives the completed lines joined by LF, CRs kept, or undefined when none is complete', () => {
    const splitter = new LineSplitter(1024)
    expect(splitter.pushText(Buffer.from('1\tGr'))).toBeUndefined()
    expect(splitter.pushText(Buffer.from('üße\r\n2\tb\n3\tc\r\n4'))).toBe('1\tGrüße\r\n2\tb\n3\tc\r')
    expect(splitter.pushText(Buffer.from('\n'))).toBe('4')
    expect(splitter.endText()).toBeUndefined()
    expect(splitter.pushText(Buffer.from('5'))).toBeUndefined()
    expect(splitter.endText()).toBe('5')
  })

  it('gives the same lines however the bytes are cut (property)', () => {
    const text = fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '€', '\t', ' ', '.', '\r') }), { maxLength: 8 }).map((lines) => lines.map((line) => `${line}\r\n`).join(''))
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (body, cuts) => {
        const bytes = Buffer.from(body)
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
        const chunks = [0, ...points].map((start, i) => bytes.subarray(start, [...points, bytes.length][i]))
        expect(split(chunks)).toEqual(split([bytes]))
      }),
    )
  })
})
