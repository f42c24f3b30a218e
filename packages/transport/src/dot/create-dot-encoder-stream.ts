import { Transform, type TransformCallback } from 'node:stream'
import { DotEncoder } from './dot-encoder.ts'

/**
 * createDotEncoderStream: a `Transform` that dot-stuffs and CRLF-normalises a body on its way to the
 * socket and writes the terminating line when the input ends (a `DotEncoder` in stream form).
 * Backpressure is the stream machinery's: a slow socket pauses the source.
 *
 * ```ts
 * await pipeline(fs.createReadStream('message.eml'), createDotEncoderStream(), socket, { end: false })
 * // wire: "...last line\r\n.\r\n"
 * ```
 *
 * RFC 5321 section 4.5.2, RFC 3977 section 3.1.1.
 */
export function createDotEncoderStream(): Transform {
  const encoder = new DotEncoder()
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
      let encoded: Buffer
      try {
        encoded = encoder.push(chunk)
      } catch (error) {
        callback(error as Error)
        return
      }
      callback(null, encoded.length > 0 ? encoded : undefined)
    },
    flush(callback: TransformCallback): void {
      try {
        callback(null, encoder.end())
      } catch (error) {
        callback(error as Error)
      }
    },
  })
}
