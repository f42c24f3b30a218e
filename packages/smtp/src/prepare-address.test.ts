import fc from 'fast-check'
import { InvalidArgumentError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { prepareAddress } from './prepare-address.ts'

const to = { smtpUtf8: false, role: 'to' } as const

describe('prepareAddress', () => {
  it.each([
    ['a\r\n@b', to],
    ['a@b>\r\nRCPT TO:<c@d', to],
    ['a@b\n', to],
    ['a@b\r', to],
    ['<a@b>', to],
    ['a>b@c', to],
    ['a\0@b', to],
    ['', to],
    ['jürgen@example.com', to],
  ])('refuses %j', (address, options) => {
    expect(() => prepareAddress(address, options)).toThrow(InvalidArgumentError)
  })

  it.each([
    ['dave@example.com', to, 'dave@example.com'],
    ['', { smtpUtf8: false, role: 'from' }, ''],
    ['dave@bücher.example', to, 'dave@xn--bcher-kva.example'],
    ['jürgen@bücher.example', { smtpUtf8: true, role: 'to' }, 'jürgen@bücher.example'],
    ['"john doe"@example.com', to, '"john doe"@example.com'],
  ] as const)('takes %j', (address, options, expected) => {
    expect(prepareAddress(address, options)).toBe(expected)
  })

  it('never lets CR, LF, < or > through', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (address, smtpUtf8) => {
        try {
          const prepared = prepareAddress(address, { smtpUtf8, role: 'to' })
          expect(prepared).not.toMatch(/[\r\n<>\0]/)
        } catch (error) {
          expect(InvalidArgumentError.isInstance(error)).toBe(true)
        }
      }),
    )
  })
})
