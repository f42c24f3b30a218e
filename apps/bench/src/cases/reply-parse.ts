import { EventEmitter } from 'node:events'
import type { Duplex } from 'node:stream'
import { ByteReader, CodedReplyParser } from '@netc/transport'
import { MiB, type BenchCase } from '../bench-case.ts'
import { chunk } from '../text-corpus.ts'

/**
 * Coded replies read the way a Connection reads them: the socket's 64 KiB chunks into a ByteReader,
 * lines pulled one by one (a promise each) into a CodedReplyParser. The mix: three single-line
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

/** A socket stand-in: the reader subscribes to 'data'; pause and resume have nothing to hold back. */
function fakeSocket(): Duplex & EventEmitter {
  return Object.assign(new EventEmitter(), { pause: () => undefined, resume: () => undefined }) as unknown as Duplex & EventEmitter
}

/** Keeps results alive so that no run is optimised away. */
export let sink = 0

export const cases: BenchCase[] = [
  {
    name: 'reply-buffer-copy',
    group,
    size,
    setup: prepare,
    run: () => {
      let total = 0
      for (const piece of get().chunks) {
        const copy = Buffer.allocUnsafe(piece.length)
        piece.copy(copy)
        sink ^= copy[0]!
        total += copy.length
      }
      return total
    },
  },
  {
    name: 'reply-parse',
    group,
    floor: 'reply-buffer-copy',
    size,
    setup: prepare,
    run: async () => {
      const { chunks, replies } = get()
      const socket = fakeSocket()
      const reader = new ByteReader(socket)
      let total = 0
      for (const piece of chunks) {
        socket.emit('data', piece)
        total += piece.length
      }
      const parser = new CodedReplyParser()
      let parsed = 0
      while (parsed < replies) {
        const reply = parser.push((await reader.readLine({ maxLength: 64 * 1024 })).toString('latin1'))
        if (reply !== undefined) {
          parsed++
          sink ^= reply.code
        }
      }
      return total
    },
  },
]
