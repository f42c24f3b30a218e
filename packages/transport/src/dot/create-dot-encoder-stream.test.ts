import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { describe, expect, it } from 'vitest'
import { createDotEncoderStream } from './create-dot-encoder-stream.ts'
import { encodeDotBody } from './dot-encoder.ts'

async function collect(chunks: Array<Buffer | string>): Promise<Buffer> {
  const out: Buffer[] = []
  await pipeline(
    Readable.from(chunks),
    createDotEncoderStream(),
    new Writable({
      write(chunk: Buffer, _encoding, callback): void {
        out.push(chunk)
        callback()
      },
    }),
  )
  return Buffer.concat(out)
}

describe('createDotEncoderStream', () => {
  it('encodes a chunked body and ends with the terminating line', async () => {
    const wire = await collect([Buffer.from('a\r'), Buffer.from('\n.b\n'), 'c'])
    expect(wire.toString('latin1')).toBe('a\r\n..b\r\nc\r\n.\r\n')
  })

  it('encodes an empty body as the terminating line alone', async () => {
    expect((await collect([])).toString('latin1')).toBe('.\r\n')
  })

  it('matches encodeDotBody on a large body', async () => {
    const body = Buffer.from('line\n.dot\r\n'.repeat(50_000))
    const pieces = Array.from({ length: 37 }, (_, index) =>
      body.subarray((index * body.length) / 37, ((index + 1) * body.length) / 37),
    )
    expect((await collect(pieces)).equals(encodeDotBody(body))).toBe(true)
  })

  it('signals backpressure when nobody reads', () => {
    const stream = createDotEncoderStream()
    let writes = 0
    while (stream.write(Buffer.alloc(16 * 1024, 0x61)) && writes < 1000) writes++
    expect(writes).toBeLessThan(10)
    stream.destroy()
  })
})
