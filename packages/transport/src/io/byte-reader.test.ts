import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { AbortError, ConnectionError, ProtocolError, TimeoutError } from '../errors/index.ts'
import { ByteReader } from './byte-reader.ts'

const maxLength = 1024

function setup(): { stream: PassThrough; reader: ByteReader } {
  const stream = new PassThrough()
  return { stream, reader: new ByteReader(stream) }
}

async function readLines(reader: ByteReader, count: number): Promise<string[]> {
  const lines: string[] = []
  for (let i = 0; i < count; i++) lines.push((await reader.readLine({ maxLength })).toString('latin1'))
  return lines
}

describe('ByteReader', () => {
  it('reads CRLF lines and tolerates a bare LF', async () => {
    const { stream, reader } = setup()
    stream.write('220 ready\r\n250 ok\n\r\nlast\r\n')
    expect(await readLines(reader, 4)).toEqual(['220 ready', '250 ok', '', 'last'])
  })

  it('reads the same lines however the bytes are split (every byte boundary)', async () => {
    const wire = Buffer.from('250-mail.example.com\r\n250-PIPELINING\r\n250 CHUNKING\r\n')
    for (let cut = 1; cut < wire.length; cut++) {
      const { stream, reader } = setup()
      const pending = readLines(reader, 3)
      stream.write(wire.subarray(0, cut))
      await new Promise((resolve) => setImmediate(resolve))
      stream.write(wire.subarray(cut))
      expect(await pending).toEqual(['250-mail.example.com', '250-PIPELINING', '250 CHUNKING'])
    }
  })

  it('reads a reply written one byte at a time', async () => {
    const { stream, reader } = setup()
    const pending = readLines(reader, 2)
    for (const byte of Buffer.from('220 a\r\n221 b\r\n')) {
      stream.write(Buffer.from([byte]))
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(await pending).toEqual(['220 a', '221 b'])
  })

  it('throws ProtocolError for a line over the limit, split or whole, and stays failed', async () => {
    const { stream, reader } = setup()
    stream.write('x'.repeat(600))
    stream.write('y'.repeat(600))
    await expect(reader.readLine({ maxLength })).rejects.toBeInstanceOf(ProtocolError)
    await expect(reader.readLine({ maxLength })).rejects.toBeInstanceOf(ProtocolError)
    const second = setup()
    second.stream.write(`${'z'.repeat(2000)}\r\n`)
    await expect(second.reader.readLine({ maxLength })).rejects.toThrow(/longer than the limit of 1024/)
  })

  it('keeps memory bounded while an endless line arrives', async () => {
    const { stream, reader } = setup()
    const pending = reader.readLine({ maxLength: 64 * 1024 })
    const chunk = Buffer.alloc(16 * 1024, 0x41)
    for (let i = 0; i < 8; i++) stream.write(chunk)
    await expect(pending).rejects.toBeInstanceOf(ProtocolError)
    expect(reader.bufferedBytes).toBeLessThanOrEqual(128 * 1024)
  })

  it('rejects with ConnectionError at EOF, also in the middle of a line', async () => {
    const { stream, reader } = setup()
    stream.end('220 half')
    await expect(reader.readLine({ maxLength })).rejects.toThrow(/in the middle of a line/)
    const second = setup()
    const pending = second.reader.readLine({ maxLength })
    second.stream.end()
    await expect(pending).rejects.toBeInstanceOf(ConnectionError)
  })

  it('times out with the phase it was given', async () => {
    const { reader } = setup()
    const error = await reader.readLine({ maxLength, timeout: 20, phase: 'greeting' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as TimeoutError).phase).toBe('greeting')
    expect((error as TimeoutError).timeout).toBe(20)
  })

  it('a slow drip does not extend the deadline of a line', async () => {
    const { stream, reader } = setup()
    const timer = setInterval(() => stream.write('x'), 5)
    try {
      await expect(reader.readLine({ maxLength, timeout: 60 })).rejects.toBeInstanceOf(TimeoutError)
    } finally {
      clearInterval(timer)
    }
  })

  it('aborts with AbortError, before and during the wait', async () => {
    const { reader } = setup()
    const controller = new AbortController()
    const pending = reader.readLine({ maxLength, signal: controller.signal })
    controller.abort(new Error('user'))
    const error = await pending.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbortError)
    expect((error as AbortError).cause).toEqual(new Error('user'))
    await expect(reader.readLine({ maxLength, signal: controller.signal })).rejects.toBeInstanceOf(AbortError)
  })

  it('readChunk hands over the bytes as they came and undefined at the end', async () => {
    const { stream, reader } = setup()
    stream.write('line\r\nbody')
    expect((await reader.readLine({ maxLength })).toString()).toBe('line')
    expect((await reader.readChunk())?.toString()).toBe('body')
    stream.end()
    expect(await reader.readChunk()).toBeUndefined()
  })

  it('unshift puts bytes back in front', async () => {
    const { stream, reader } = setup()
    stream.write('b\r\n')
    reader.unshift(Buffer.from('a\r\n'))
    expect(await readLines(reader, 2)).toEqual(['a', 'b'])
  })

  it('pauses the source above the high-water mark and resumes as bytes are read', async () => {
    const stream = new PassThrough()
    const reader = new ByteReader(stream, { highWaterMark: 1024 })
    stream.write(Buffer.alloc(2048, 0x61))
    await new Promise((resolve) => setImmediate(resolve))
    expect(stream.isPaused()).toBe(true)
    await reader.readChunk()
    expect(stream.isPaused()).toBe(false)
  })

  it('wraps a socket error as ConnectionError with the cause', async () => {
    const { stream, reader } = setup()
    const pending = reader.readLine({ maxLength })
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    stream.destroy(cause)
    const error = await pending.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as ConnectionError).cause).toBe(cause)
  })

  it('detach returns the unread bytes (STARTTLS injection check)', async () => {
    const { stream, reader } = setup()
    stream.write('220 go ahead\r\nMAIL FROM:<evil>\r\n')
    expect((await reader.readLine({ maxLength })).toString()).toBe('220 go ahead')
    expect(reader.detach().toString()).toBe('MAIL FROM:<evil>\r\n')
  })

  describe('through net.Socket onread (one reused read buffer)', () => {
    /** What net.Socket does on each read: fills the one buffer, calls back, then reads into it again. */
    function read(reader: ByteReader, text: string): boolean {
      const { buffer, callback } = reader.onread
      const length = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.length).write(text, 'latin1')
      const more = callback(length, buffer)
      buffer.fill(0x23)
      return more
    }

    function onreadSetup(options: { highWaterMark?: number } = {}): { stream: PassThrough; reader: ByteReader } {
      const reader = new ByteReader(undefined, options)
      const stream = new PassThrough()
      reader.attach(stream)
      return { stream, reader }
    }

    it('copies each read out of the buffer before the next one fills it', async () => {
      const { reader } = onreadSetup()
      expect(reader.onread.buffer.length).toBe(64 * 1024)
      expect(read(reader, '+OK 1\r\n+OK')).toBe(true)
      expect(read(reader, ' 2\r\nbody')).toBe(true)
      expect(await readLines(reader, 2)).toEqual(['+OK 1', '+OK 2'])
      expect((await reader.readChunk())?.toString()).toBe('body')
      const pending = reader.readChunk()
      read(reader, '!')
      expect((await pending)?.toString()).toBe('!')
    })

    it('hands a waiting readLine its line from the read that completes it, without a turn of its own', async () => {
      const { reader } = onreadSetup()
      const pending = reader.readLine({ maxLength })
      read(reader, '200 o')
      expect(reader.bufferedBytes).toBe(5)
      read(reader, 'k\r\n201 next\r\n')
      // Taken inside the read: only the next line is left, and the read buffer may be reused at once.
      expect(reader.bufferedBytes).toBe(10)
      expect((await pending).toString()).toBe('200 ok')
      expect((await reader.readLine({ maxLength })).toString()).toBe('201 next')
    })

    it('a waiting readLine fails at once on a line over the limit, and stays failed', async () => {
      const { reader } = onreadSetup()
      const pending = reader.readLine({ maxLength: 16 })
      read(reader, 'x'.repeat(20))
      await expect(pending).rejects.toBeInstanceOf(ProtocolError)
      await expect(reader.readLine({ maxLength: 16 })).rejects.toBeInstanceOf(ProtocolError)
    })

    it('keeps the bytes readChunk gave intact while reads arrive, until the next call', async () => {
      const { reader } = onreadSetup()
      read(reader, 'a'.repeat(1000))
      const chunk = await reader.readChunk()
      for (let i = 0; i < 100; i++) read(reader, 'b'.repeat(1000))
      expect(chunk?.toString()).toBe('a'.repeat(1000))
      expect((await reader.readChunk())?.toString()).toBe('b'.repeat(100_000))
    })

    it('stops the socket reading above the high-water mark and resumes it as bytes are read', async () => {
      const { stream, reader } = onreadSetup({ highWaterMark: 1024 })
      expect(read(reader, 'x'.repeat(600))).toBe(true)
      expect(read(reader, 'x'.repeat(600))).toBe(false)
      expect(stream.isPaused()).toBe(true)
      await reader.readChunk()
      expect(stream.isPaused()).toBe(false)
    })

    it('sends the reads elsewhere once diverted (COMPRESS), and the sink decides whether reading goes on', async () => {
      const { reader } = onreadSetup()
      const diverted: string[] = []
      reader.divert((bytes) => {
        diverted.push(Buffer.from(bytes).toString())
        return diverted.length < 2
      })
      expect(read(reader, 'one')).toBe(true)
      expect(read(reader, 'two')).toBe(false)
      expect(diverted).toEqual(['one', 'two'])
      expect(reader.bufferedBytes).toBe(0)
    })
  })
})
