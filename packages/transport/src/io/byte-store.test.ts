import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ByteStore, isReusedMemory } from './byte-store.ts'

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1')

/** Copies `text` into one reused read buffer, as net.Socket's `onread` does, and appends it. */
function appendThroughReadBuffer(store: ByteStore, readBuffer: Buffer, text: string): void {
  const length = readBuffer.write(text, 'latin1')
  store.append(readBuffer.subarray(0, length))
  readBuffer.fill(0x23) // the socket's next read overwrites the buffer
}

function takeLines(store: ByteStore): string[] {
  const lines: string[] = []
  for (let end = store.lineEnd(); end !== -1; end = store.lineEnd()) lines.push(store.takeLine(end).toString('latin1'))
  return lines
}

describe('ByteStore', () => {
  it('copies appended bytes: a reused read buffer can be overwritten at once', () => {
    const store = new ByteStore(16)
    const readBuffer = Buffer.alloc(64)
    appendThroughReadBuffer(store, readBuffer, '+OK 1\r\n+OK 2\r\nbo')
    appendThroughReadBuffer(store, readBuffer, 'dy\r\n')
    expect(takeLines(store)).toEqual(['+OK 1', '+OK 2', 'body'])
    expect(store.size).toBe(0)
  })

  it('takes lines as copies, CRLF or a bare LF cut off', () => {
    const store = new ByteStore(16)
    store.append(bytes('a\r\nb\n\r\nc'))
    const first = store.takeLine(store.lineEnd())
    store.append(bytes('\r\n'))
    expect([first.toString(), ...takeLines(store)]).toEqual(['a', 'b', '', 'c'])
    expect(isReusedMemory(first)).toBe(false)
  })

  it('keeps a lent view intact while more bytes arrive, until the next consumer call', () => {
    const store = new ByteStore(8)
    store.append(bytes('12345678'))
    const view = store.lend()
    store.append(bytes('abcdefgh')) // no room at the tail: the store moves, the view stays
    store.append(bytes('ijklmnop'))
    expect(view?.toString()).toBe('12345678')
    expect(store.lend()?.toString()).toBe('abcdefghijklmnop')
  })

  it('reuses its memory once what it lent is given back: no allocation per read', () => {
    const store = new ByteStore(64)
    store.append(bytes('first body'))
    const first = store.lend() as Buffer
    expect(isReusedMemory(first)).toBe(true)
    expect(store.lend()).toBeUndefined() // gives `first` back
    store.append(bytes('second'))
    const second = store.lend() as Buffer
    expect(second.buffer).toBe(first.buffer)
    expect(second.byteOffset).toBe(first.byteOffset)
    expect(first.toString()).toBe('secondbody') // `first` was valid only until the next call
  })

  it('keeps memory grown up to retainBytes once all is read, and drops larger memory', () => {
    const kept = new ByteStore(16, 256)
    kept.append(Buffer.alloc(200, 0x61))
    const grown = kept.lend() as Buffer
    expect(kept.lend()).toBeUndefined()
    kept.append(bytes('next'))
    expect((kept.lend() as Buffer).buffer).toBe(grown.buffer)
    const dropped = new ByteStore(16, 128)
    dropped.append(Buffer.alloc(200, 0x61))
    const large = dropped.lend() as Buffer
    expect(dropped.lend()).toBeUndefined()
    dropped.append(bytes('next'))
    expect((dropped.lend() as Buffer).buffer).not.toBe(large.buffer)
  })

  it('puts the tail of the lent view back in place, and other bytes in front of the unread ones', () => {
    const store = new ByteStore(64)
    store.append(bytes('body\r\n.\r\n+OK next\r\n'))
    const view = store.lend() as Buffer
    store.unshift(view.subarray(9))
    expect(view.subarray(0, 9).toString()).toBe('body\r\n.\r\n')
    store.unshift(bytes('+OK first\r\n'))
    expect(takeLines(store)).toEqual(['+OK first', '+OK next'])
  })

  it('adopts a socket chunk when nothing is unread, without a copy, and never writes into it', () => {
    const store = new ByteStore(16)
    const chunk = bytes('+OK 1\r\nbody')
    store.adopt(chunk)
    expect(takeLines(store)).toEqual(['+OK 1'])
    const rest = store.lend() as Buffer
    expect(rest.buffer).toBe(chunk.buffer)
    expect(isReusedMemory(rest)).toBe(false)
    store.adopt(bytes('\r\n+OK 2')) // something else unread? no: adopted too
    store.adopt(bytes('\r\n')) // now "+OK 2" is unread: copied after it
    expect(takeLines(store)).toEqual(['', '+OK 2'])
    expect(chunk.toString()).toBe('+OK 1\r\nbody')
  })

  it('takeAll hands over a copy of the unread bytes and empties the store', () => {
    const store = new ByteStore(16)
    store.append(bytes('220 go\r\nEVIL\r\n'))
    store.takeLine(store.lineEnd())
    const rest = store.takeAll()
    expect(rest.toString()).toBe('EVIL\r\n')
    expect(isReusedMemory(rest)).toBe(false)
    expect(store.size).toBe(0)
  })

  it('property: lines and lent bytes are the bytes appended, however they are cut and consumed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-c\r\n]{0,40}$/), fc.boolean(), fc.boolean()), { maxLength: 30 }),
        (steps) => {
          const store = new ByteStore(8)
          const readBuffer = Buffer.alloc(64)
          let written = ''
          let read = ''
          for (const [text, adopt, lend] of steps) {
            if (adopt) store.adopt(bytes(text))
            else appendThroughReadBuffer(store, readBuffer, text)
            written += text
            if (lend) {
              const view = store.lend()
              const copy = view?.toString('latin1') ?? ''
              if (view !== undefined && copy.length > 1) store.unshift(view.subarray(1))
              read += copy.slice(0, 1)
            } else {
              for (let end = store.lineEnd(); end !== -1; end = store.lineEnd()) {
                const raw = store.lend() as Buffer
                const line = raw.subarray(0, end + 1).toString('latin1')
                store.unshift(raw.subarray(end + 1))
                read += line
              }
            }
          }
          expect(read + store.takeAll().toString('latin1')).toBe(written)
        },
      ),
    )
  })
})
