import { open } from 'node:fs'
import { readFile, mkdtemp, rm } from 'node:fs/promises'
import { promisify } from 'node:util'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { FileReceiver } from './receive-to-file.ts'

// A plain descriptor (a FileHandle's fd would be closed when the handle is garbage-collected).
const openDescriptor = promisify(open)
const directories: string[] = []
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true })
})

async function scratch(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'netc-receive-'))
  directories.push(directory)
  return join(directory, 'file.bin')
}

/**
 * Drives `onread` the way net.Socket does (stream_base_commons' onStreamRead): the callback with the
 * bytes read, then `buffer()` for the next read whatever the callback answered; after `false`, no read
 * until `resume()`.
 */
async function feed(receiver: FileReceiver, socket: PassThrough, reads: number): Promise<{ buffers: Set<Buffer>; bytes: number; next: Buffer }> {
  let reading = true
  const resume = socket.resume.bind(socket)
  socket.resume = () => {
    reading = true
    return resume()
  }
  const buffers = new Set<Buffer>()
  let buffer = receiver.onread.buffer()
  let bytes = 0
  for (let read = 0; read < reads; read++) {
    while (!reading) await new Promise((resolve) => setImmediate(resolve))
    buffers.add(buffer)
    buffer.fill(read % 256)
    reading = receiver.onread.callback(buffer.length, buffer)
    bytes += buffer.length
    buffer = receiver.onread.buffer()
  }
  socket.end()
  return { buffers, bytes, next: buffer }
}

describe('FileReceiver with onread', () => {
  it('reads into at most 4 buffers however far the disk falls behind, and writes every byte in order', async () => {
    const path = await scratch()
    const receiver = new FileReceiver({ open: () => openDescriptor(path, 'w'), position: 0 })
    const socket = new PassThrough()
    const done = receiver.receive(socket)
    // 40 reads in a burst: the disk (asynchronous writes) cannot keep up, so the reads must wait for buffers.
    const { buffers, bytes } = await feed(receiver, socket, 40)
    expect(await done).toBe(bytes)
    expect(buffers.size).toBeLessThanOrEqual(4)
    const written = await readFile(path)
    expect(written.length).toBe(bytes)
    const size = bytes / 40
    for (let read = 0; read < 40; read++) {
      expect(written[read * size]).toBe(read % 256)
      expect(written[(read + 1) * size - 1]).toBe(read % 256)
    }
  })

  it('hands its buffers to the next receiver once its socket has closed: many small files map no new memory', async () => {
    const first = new FileReceiver({ open: async () => openDescriptor(await scratch(), 'w'), position: 0 })
    const socket = new PassThrough()
    const done = first.receive(socket)
    const { buffers, next } = await feed(first, socket, 3)
    await done
    if (!socket.closed) await new Promise((resolve) => socket.once('close', resolve))
    const second = new FileReceiver({ open: () => openDescriptor(join(tmpdir(), 'unused'), 'w'), position: 0 })
    const handedOut = new Set([...buffers, next])
    expect(handedOut.has(second.onread.buffer())).toBe(true)
  })
})


describe('FileReceiver without onread (a connect seam, TLS)', () => {
  it('calls touch for every data chunk: the transfer has no data listener of its own to keep its idle timer back', async () => {
    const path = await scratch()
    const receiver = new FileReceiver({ open: () => openDescriptor(path, 'w'), position: 0 })
    const socket = new PassThrough()
    let touches = 0
    const done = receiver.receive(socket, () => touches++)
    for (let chunk = 0; chunk < 3; chunk++) socket.write(Buffer.alloc(10, chunk))
    socket.end()
    expect(await done).toBe(30)
    expect(touches).toBe(3)
    expect((await readFile(path)).length).toBe(30)
  })

  it('settles at once after a synchronous small write, and rejects with the error of one that throws', async () => {
    const written: Buffer[] = []
    const small = new FileReceiver({ open: () => Promise.reject(new Error('not opened')), position: 0, small: { limit: 100, write: (bytes) => void written.push(bytes) } })
    const socket = new PassThrough()
    const done = small.receive(socket)
    socket.end(Buffer.from('dave'))
    expect(await done).toBe(4)
    expect(Buffer.concat(written).toString()).toBe('dave')

    const failing = new FileReceiver({
      open: () => Promise.reject(new Error('not opened')),
      position: 0,
      small: {
        limit: 100,
        write: () => {
          throw new Error('EACCES: the disk said no')
        },
      },
    })
    const other = new PassThrough()
    const refused = failing.receive(other)
    other.end(Buffer.from('dave'))
    await expect(refused).rejects.toThrow('EACCES: the disk said no')
  })
})
