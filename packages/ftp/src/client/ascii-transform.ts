import { Transform, type TransformCallback } from 'node:stream'

const CR = 0x0d
const LF = 0x0a

/**
 * asciiToLocal: TYPE A downloads (RFC 959 section 3.1.1.1): the network's CRLF line endings become LF.
 * A CR at the end of one chunk is held until the next shows whether an LF follows.
 */
export function asciiToLocal(): Transform {
  let heldCr = false
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      let start = 0
      const parts: Buffer[] = []
      if (heldCr && chunk[0] !== LF) parts.push(Buffer.from([CR]))
      heldCr = false
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== CR) continue
        if (i === chunk.length - 1) {
          parts.push(chunk.subarray(start, i))
          start = chunk.length
          heldCr = true
        } else if (chunk[i + 1] === LF) {
          parts.push(chunk.subarray(start, i))
          start = i + 1
        }
      }
      if (start < chunk.length) parts.push(chunk.subarray(start))
      callback(null, Buffer.concat(parts))
    },
    flush(callback: TransformCallback) {
      callback(null, heldCr ? Buffer.from([CR]) : undefined)
    },
  })
}

/** asciiToNetwork: TYPE A uploads: bare LF becomes CRLF; an existing CRLF is left alone. */
export function asciiToNetwork(): Transform {
  let lastWasCr = false
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      const parts: Buffer[] = []
      let start = 0
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== LF) continue
        const previousIsCr = i === 0 ? lastWasCr : chunk[i - 1] === CR
        if (previousIsCr) continue
        parts.push(chunk.subarray(start, i), Buffer.from([CR]))
        start = i
      }
      parts.push(chunk.subarray(start))
      if (chunk.length > 0) lastWasCr = chunk[chunk.length - 1] === CR
      callback(null, Buffer.concat(parts))
    },
  })
}
