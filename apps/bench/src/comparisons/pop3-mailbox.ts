import { crc32 } from 'node:zlib'

/** What a filled mailbox holds, to verify a contender against. */
export interface MailboxExpectation {
  count: number
  /** The sum of the messages' octets (what LIST announces, what RETR must give back). */
  bytes: number
  /** The sum (mod 2^32) of each message's CRC-32: the contenders compute the same. */
  crc: number
  /** The same sum over the messages without their final CRLF (what node-pop3 and yapople hand back). */
  crcWithoutFinalCrlf: number
}

/** A small deterministic PRNG (mulberry32), so that every run fills the same mailbox. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,;:-()'

/** 4,096 lines of mail-like text, 40 to 78 characters (never one starting with `.`), each ending in CRLF. */
function linePool(): string[] {
  const next = random(0x9e3779b9)
  return Array.from({ length: 4096 }, () => {
    const length = 40 + Math.floor(next() * 39)
    let line = ''
    for (let i = 0; i < length; i++) line += alphabet[Math.floor(next() * alphabet.length)]
    return `${line}\r\n`
  })
}

/**
 * makeMessages: `count` RFC 5322 messages of about `size` octets (within ±1/16, each size distinct by
 * number), CRLF line ends, no dot-led lines (so that the clients that do not unstuff are not penalised or
 * caught out: this measures speed, the unit tests cover dot-stuffing). Returns them with what to expect.
 */
export function makeMessages(count: number, size: number): { messages: Buffer[]; expected: MailboxExpectation } {
  const pool = linePool()
  const messages: Buffer[] = []
  let bytes = 0
  let crc = 0
  let crcWithoutFinalCrlf = 0
  for (let n = 1; n <= count; n++) {
    const target = size - (size >> 4) + ((n * 7919) % (size >> 3))
    const parts = [
      `From: sender${n % 97}@bench.netc.test\r\n`,
      'To: alice@bench.netc.test\r\n',
      `Subject: bench message ${n}\r\n`,
      `Message-ID: <${n}.bench@netc.test>\r\n`,
      'Date: Sun, 29 Nov 2026 12:00:00 +0000\r\n',
      'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n',
    ]
    let length = parts.reduce((sum, part) => sum + part.length, 0)
    for (let i = n * 31; length < target; i++) {
      const line = pool[i % pool.length]!
      const room = target - length
      const piece = line.length <= room ? line : `${line.slice(0, Math.max(1, room - 2))}\r\n`
      parts.push(piece)
      length += piece.length
    }
    const message = Buffer.from(parts.join(''), 'latin1')
    messages.push(message)
    bytes += message.length
    crc = (crc + crc32(message)) >>> 0
    crcWithoutFinalCrlf = (crcWithoutFinalCrlf + crc32(message.subarray(0, -2))) >>> 0
  }
  return { messages, expected: { count, bytes, crc, crcWithoutFinalCrlf } }
}
