import { Duplex } from 'node:stream'
import { Connection } from '@netc/transport'
import { MiB, type BenchCase } from '../bench-case.ts'
import { chunk, copyChunks } from '../text-corpus.ts'

/**
 * Coded replies read by a real Connection (`io.readCodedReply()` in one task), from a stand-in socket
 * given through the connect seam that delivers the wire in 64 KiB chunks. The mix: three single-line
 * replies (`250 2.1.5 Ok`) for every nine-line EHLO reply, as a pipelined SMTP session sees.
 */
const group = 'reply-parse'
const size = { full: 64 * MiB, quick: 4 * MiB }
const ehlo = ['250-mail.example.com', '250-PIPELINING', '250-SIZE 10240000', '250-VRFY', '250-ETRN', '250-STARTTLS', '250-ENHANCEDSTATUSCODES', '250-8BITMIME', '250 CHUNKING']
const unit = Buffer.from(['250 2.1.0 Ok', '250 2.1.5 Ok', '354 End data with <CR><LF>.<CR><LF>', ...ehlo, ''].join('\r\n'), 'latin1')
const repliesPerUnit = 4

let input: { size: number; chunks: Buffer[]; replies: number } | undefined

function prepare(bytes: number): void {
  if (input?.size === bytes) return
  const units = Math.ceil(bytes / unit.length)
  input = { size: bytes, chunks: chunk(Buffer.concat(Array.from({ length: units }, () => unit)), 64 * 1024), replies: units * repliesPerUnit }
}

function get(): NonNullable<typeof input> {
  if (!input) throw new Error('reply-parse: setup() did not run')
  return input
}

/** A socket stand-in: a duplex whose readable side holds the wire and whose writes go nowhere. */
function fakeSocket(chunks: readonly Buffer[]): Duplex {
  const socket = new Duplex({ read: () => undefined, write: (_chunk, _encoding, done: () => void) => done() })
  for (const piece of chunks) socket.push(piece)
  return socket
}

/** Keeps results alive so that no run is optimised away. */
export let sink = 0

export const cases: BenchCase[] = [
  {
    name: 'reply-buffer-copy',
    group,
    size,
    setup: prepare,
    run: () => copyChunks(get().chunks, (byte) => {
      sink ^= byte
    }),
  },
  {
    name: 'reply-parse',
    group,
    floor: 'reply-buffer-copy',
    size,
    setup: prepare,
    run: async () => {
      const { chunks, replies } = get()
      const connection = await Connection.open({ host: 'bench', port: 1, protocol: 'bench', connect: async () => fakeSocket(chunks) })
      await connection.run(async (io) => {
        for (let parsed = 0; parsed < replies; parsed++) sink ^= (await io.readCodedReply()).code
      })
      connection.destroy()
      return chunks.reduce((total, piece) => total + piece.length, 0)
    },
  },
]
