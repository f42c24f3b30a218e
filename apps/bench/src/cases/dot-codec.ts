import { DotDecoder, DotEncoder } from '@netc/transport'
import { MiB, type BenchCase } from '../bench-case.ts'
import { chunk, copyChunks, makeMailText } from '../text-corpus.ts'

/** The dot-body codec of @netc/transport on typical mail text, in 64 KiB chunks as a socket delivers them. */
const group = 'dot-codec'
const size = { full: 256 * MiB, quick: 8 * MiB }
const chunkSize = 64 * 1024

interface Input {
  size: number
  text: Buffer[]
  wire: Buffer[]
  wireBytes: number
}
let input: Input | undefined

function prepare(bytes: number): Input {
  if (input?.size === bytes) return input
  input = undefined
  const text = chunk(makeMailText(bytes), chunkSize)
  const encoder = new DotEncoder()
  const wire = Buffer.concat([...text.map((piece) => encoder.push(piece)), encoder.end()])
  input = { size: bytes, text, wire: chunk(wire, chunkSize), wireBytes: wire.length }
  return input
}

function get(): Input {
  if (!input) throw new Error('dot-codec: setup() did not run')
  return input
}

/** Keeps results alive so that no run is optimised away. */
export let sink = 0

export const cases: BenchCase[] = [
  {
    name: 'buffer-copy',
    group,
    size,
    setup: (bytes) => void prepare(bytes),
    run: () => copyChunks(get().text, (byte) => {
      sink ^= byte
    }),
  },
  {
    name: 'dot-encode',
    group,
    floor: 'buffer-copy',
    size,
    setup: (bytes) => void prepare(bytes),
    run: () => {
      const encoder = new DotEncoder()
      let total = 0
      for (const piece of get().text) {
        sink ^= encoder.push(piece).length
        total += piece.length
      }
      sink ^= encoder.end().length
      return total
    },
  },
  {
    name: 'dot-decode',
    group,
    floor: 'buffer-copy',
    size,
    setup: (bytes) => void prepare(bytes),
    run: (bytes) => {
      const { wire, wireBytes } = get()
      const decoder = new DotDecoder()
      let body = 0
      for (const piece of wire) {
        const result = decoder.push(piece)
        for (const part of result.chunks) body += part.length
        if (result.done) break
      }
      decoder.end()
      if (body !== bytes) throw new Error(`dot-decode: ${body} bytes decoded, ${bytes} expected`)
      return wireBytes
    },
  },
]
