import { Readable } from 'node:stream'
import type { Command, Connection, ConnectionIo } from '@netc/transport'
import { sendCommand } from './read-status.ts'

/**
 * openBodyStream: sends `command` (RETR or TOP), reads its `+OK`, and resolves with a Readable of the
 * body: dot-unstuffed, the exact octets between the status line and the terminating `.` (RFC 1939
 * section 3), streamed with backpressure, split terminators handled. The connection stays busy (later
 * calls queue) until the stream has ended or been destroyed; destroying it early reads and drops the rest
 * of the body so that the connection stays in step. `-ERR` rejects with `Pop3ReplyError` before any
 * stream exists; a broken connection mid-body destroys the stream with the error (and closes the connection).
 */
export function openBodyStream(connection: Connection, command: Command, signal: AbortSignal | undefined): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    let stream: Readable | undefined
    const task = connection.run(async (io) => {
      await sendCommand(io, command)
      const pump = new BodyPump(io)
      stream = pump.readable
      resolve(pump.readable)
      await pump.finished
    }, { signal })
    task.then(
      () => undefined,
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error))
        if (stream === undefined) reject(failure)
        else if (!stream.destroyed) stream.destroy(failure)
      },
    )
  })
}

/** BodyPump: moves a dot-body from the wire into a Readable, one chunk per `read()` (backpressure). */
class BodyPump {
  readonly readable: Readable
  /** Resolves once the body has been read to its end (delivered or dropped); rejects when the wire failed. */
  readonly finished: Promise<void>
  readonly #body: AsyncGenerator<Buffer, void, undefined>
  #reading: Promise<void> | undefined
  #started = false
  #settle!: (error?: Error) => void

  constructor(io: ConnectionIo) {
    this.#body = io.readDotBody()
    this.finished = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error === undefined ? resolve() : reject(error))
    })
    this.readable = new Readable({
      highWaterMark: 64 * 1024,
      read: () => {
        this.#reading ??= this.#next().finally(() => (this.#reading = undefined))
      },
      destroy: (error, callback) => {
        callback(error)
        void this.#drop()
      },
    })
  }

  async #next(): Promise<void> {
    this.#started = true
    try {
      for (;;) {
        const step = await this.#body.next()
        if (step.done === true) {
          this.readable.push(null)
          this.#settle()
          return
        }
        if (!this.readable.push(step.value)) return
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error))
      this.readable.destroy(failure)
      this.#settle(failure)
    }
  }

  /** The reader left: read the rest of the body and drop it (the generator's return drains). */
  async #drop(): Promise<void> {
    await this.#reading
    try {
      // A generator that never started has no `finally` to run yet: start it, so that returning drains.
      if (!this.#started && (await this.#body.next()).done === true) return this.#settle()
      await this.#body.return(undefined)
      this.#settle()
    } catch (error) {
      this.#settle(error instanceof Error ? error : new Error(String(error)))
    }
  }
}
