import { Command, type CodedReply, type ConnectionIo } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { writeBdat } from './write-bdat.ts'

/** A ConnectionIo that records what is sent (the payload as the very object given) and answers 250. */
function fakeIo() {
  const sent: Array<{ commands: string[]; payload?: Uint8Array }> = []
  const io = {
    send: async (commands: Command | readonly Command[], payload?: Uint8Array) => {
      const list = Array.isArray(commands) ? (commands as readonly Command[]) : [commands as Command]
      sent.push({ commands: list.map((command) => command.toWire('utf8').toString()), payload })
    },
    write: async (bytes: Uint8Array) => {
      sent.push({ commands: [], payload: bytes })
    },
    readCodedReply: async (): Promise<CodedReply> => ({ code: 250, lines: ['2.0.0 Ok'] }),
  }
  return { io: io as unknown as ConnectionIo, sent }
}

describe('writeBdat', () => {
  it('a CRLF Buffer goes out as itself, not a copy, in the envelope write (1 MiB)', async () => {
    const { io, sent } = fakeIo()
    const message = Buffer.from('x'.repeat(1022) + '\r\n').subarray(0, 1024)
    const big = Buffer.concat(Array.from({ length: 1024 }, () => message))
    let read = 0
    const envelope = { commands: [Command.of('MAIL', 'FROM:<a@x.test>'), Command.of('RCPT', 'TO:<b@x.test>')], read: async () => ++read }
    const replies = await writeBdat(io, big, { normalize: true, chunkSize: 256 * 1024, finalReplies: 1, envelope })
    expect(sent).toHaveLength(1)
    expect(sent[0]?.commands).toEqual(['MAIL FROM:<a@x.test>\r\n', 'RCPT TO:<b@x.test>\r\n', `BDAT ${big.length} LAST\r\n`])
    expect(sent[0]?.payload).toBe(big)
    expect(replies).toHaveLength(1)
    expect(read).toBe(1)
  })

  it('without normalising (BINARYMIME) a Buffer is not copied either', async () => {
    const { io, sent } = fakeIo()
    const message = Buffer.from('binary\0bytes')
    await writeBdat(io, message, { normalize: false, chunkSize: 64, finalReplies: 1 })
    expect(sent.map((entry) => entry.commands)).toEqual([['BDAT 12 LAST\r\n']])
    expect(sent[0]?.payload).toBe(message)
  })

  it('a stream that ends on a chunk boundary ends with its last chunk as BDAT n LAST, not an empty BDAT 0 LAST', async () => {
    const { io, sent } = fakeIo()
    async function* source() {
      for (let i = 0; i < 6; i++) yield Buffer.alloc(32, 0x61 + i) // 192 bytes: three chunks of 64
    }
    await writeBdat(io, source(), { normalize: false, chunkSize: 64, finalReplies: 1 })
    expect(sent.map((entry) => entry.commands)).toEqual([['BDAT 64\r\n'], ['BDAT 64\r\n'], ['BDAT 64 LAST\r\n']])
    expect(Buffer.concat(sent.map((entry) => entry.payload ?? Buffer.alloc(0))).toString()).toBe('a'.repeat(32) + 'b'.repeat(32) + 'c'.repeat(32) + 'd'.repeat(32) + 'e'.repeat(32) + 'f'.repeat(32))
  })

  it('an empty stream is one BDAT 0 LAST', async () => {
    const { io, sent } = fakeIo()
    async function* source(): AsyncGenerator<Buffer> {}
    await writeBdat(io, source(), { normalize: false, chunkSize: 64, finalReplies: 1 })
    expect(sent.map((entry) => entry.commands)).toEqual([['BDAT 0 LAST\r\n']])
  })
})
