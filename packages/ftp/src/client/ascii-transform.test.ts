import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { asciiToLocal, asciiToNetwork } from './ascii-transform.ts'

const run = (transform: () => NodeJS.ReadWriteStream, chunks: string[]): Promise<string> =>
  text(Readable.from(chunks.map((chunk) => Buffer.from(chunk, 'latin1'))).pipe(transform()))

describe('ASCII line-ending conversion (TYPE A)', () => {
  it.each([
    [['a\r\nb\r\n'], 'a\nb\n'],
    [['a\r', '\nb'], 'a\nb'],
    [['a\r', 'b'], 'a\rb'],
    [['a\r'], 'a\r'],
    [['\r\n\r\n'], '\n\n'],
  ])('to local: %j → %j', async (chunks, expected) => {
    expect(await run(asciiToLocal, chunks)).toBe(expected)
  })

  it.each([
    [['a\nb\n'], 'a\r\nb\r\n'],
    [['a\r\nb'], 'a\r\nb'],
    [['a\r', '\nb'], 'a\r\nb'],
    [['a', '\nb'], 'a\r\nb'],
  ])('to network: %j → %j', async (chunks, expected) => {
    expect(await run(asciiToNetwork, chunks)).toBe(expected)
  })

  it('round-trips any LF text split anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.stringMatching(/^[a\n]{0,8}$/), { maxLength: 6 }), async (chunks) => {
        const local = chunks.join('')
        const network = await run(asciiToNetwork, chunks)
        expect(network).toBe(local.replace(/\n/g, '\r\n'))
        const halves = [network.slice(0, network.length >> 1), network.slice(network.length >> 1)]
        expect(await run(asciiToLocal, halves)).toBe(local)
      }),
      { numRuns: 300 },
    )
  })
})
