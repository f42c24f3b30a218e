import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeDotBody } from './dot-encoder.ts'
import { planCleanDotBody } from './plan-clean-dot-body.ts'

/** The wire a plan stands for: the body with a `.` before each planned offset, then the terminating line. */
function wireOf(body: Buffer, dots: number[]): Buffer {
  const parts: Buffer[] = []
  let start = 0
  for (const dot of dots) {
    parts.push(body.subarray(start, dot), Buffer.from('.'))
    start = dot
  }
  parts.push(body.subarray(start), Buffer.from(body.length === 0 || body[body.length - 1] === 0x0a ? '.\r\n' : '\r\n.\r\n'))
  return Buffer.concat(parts)
}

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1')

describe('planCleanDotBody', () => {
  it.each([
    ['', []],
    ['a\r\nb\r\n', []],
    ['.a\r\n.\r\n..\r\nb', [0, 4, 7]],
    ['no line end', []],
    ['a\r\n.', [3]],
  ])('plans %j as dots at %j', (text, dots) => {
    expect(planCleanDotBody(latin1(text), 10)).toEqual(dots)
  })

  it.each(['a\nb', 'a\rb', 'a\r\n\n', 'a\r', '\r\r\n', 'a\r\n.\n', '\r.\r'])('gives up on %j (a bare CR or LF)', (text) => {
    expect(planCleanDotBody(latin1(text), 10)).toBeUndefined()
  })

  it('plans a large CRLF body, its dots found past the SIMD window, and gives up on one bare LF in it', () => {
    const body = latin1(`${'x'.repeat(76)}\r\n`.repeat(10_000) + '.end\r\n') // 780,006 bytes
    expect(planCleanDotBody(body, 10)).toEqual([780_000])
    body[700_000] = 0x0a
    expect(planCleanDotBody(body, 10)).toBeUndefined()
  })

  it('gives up past maxDots', () => {
    expect(planCleanDotBody(latin1('.a\r\n.b\r\n.c\r\n'), 2)).toBeUndefined()
    expect(planCleanDotBody(latin1('.a\r\n.b\r\n.c\r\n'), 3)).toEqual([0, 4, 8])
  })

  it('stands for exactly the bytes encodeDotBody gives, whenever it plans (any bytes)', () => {
    const byte = fc.constantFrom(0x0d, 0x0a, 0x2e, 0x61, 0x00, 0xff)
    const crlfBody = fc.array(fc.oneof(fc.constant('\r\n'), fc.constant('.'), fc.constant('x'), fc.constant('\r\n.')), { maxLength: 60 })
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.array(byte, { maxLength: 80 }).map((bytes) => Uint8Array.from(bytes)), crlfBody.map((parts) => latin1(parts.join('')))), (input) => {
        const body = Buffer.from(input)
        const dots = planCleanDotBody(body, 1000)
        if (dots !== undefined) expect(wireOf(body, dots).equals(encodeDotBody(body))).toBe(true)
        // It plans every body without a bare CR or LF.
        else expect(body.toString('latin1')).toMatch(/\r(?!\n)|(?<!\r)\n/)
      }),
      { numRuns: 2000 },
    )
  })
})
