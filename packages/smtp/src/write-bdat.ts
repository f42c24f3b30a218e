import { Command, ReplyError, type CodedReply, type ConnectionIo } from '@netc/transport'
import { CrlfNormalizer } from './crlf-normalizer.ts'
import type { MessageSource } from './send-result.ts'
import { SmtpReplyError } from './smtp-reply-error.ts'

/** How `writeBdat` sends. */
export interface WriteBdatOptions {
  /** CRLF-normalise (every body type but BINARYMIME). */
  normalize: boolean
  /** Bytes per chunk of a streamed message. */
  chunkSize: number
  /** Replies that follow `BDAT ... LAST`: 1 in SMTP, one per accepted recipient in LMTP (see `envelope`). */
  finalReplies: number
  /**
   * The envelope (MAIL, RCPT...) to send in the same write as the first chunk, with PIPELINING (RFC 3030
   * section 4.2). `read` is called once that write is out: it reads their replies and returns how many
   * replies `BDAT ... LAST` will draw, or throws (the refusal); the reply to the chunk sent is read first.
   */
  envelope?: { commands: readonly Command[]; read: () => Promise<number> }
}

/**
 * PIPELINED_BDAT_MAX_BYTES: the largest chunk that goes in the same write as its envelope (MAIL + RCPT... +
 * `BDAT n [LAST]`, RFC 3030 section 4.2): a whole message in memory, or the first chunk of a stream. A
 * larger one goes after the envelope's replies: a server reads it in several reads and answers MAIL
 * and RCPT in between, so its reply to BDAT becomes a second small write that Nagle holds until the
 * client's delayed ACK (40 ms). Against postfix, one connection in ten sending 1 MiB messages pipelined
 * paid that on every message (8.6 s for 200 instead of 2.3), and so did streamed ones. A refused
 * envelope then also costs no message sent in vain.
 */
export const PIPELINED_BDAT_MAX_BYTES = 64 * 1024

/**
 * writeBdat: a message as BDAT chunks (RFC 3030 section 2), no dot-stuffing, the last one `BDAT n LAST`
 * with the last bytes (a full chunk is held until more bytes follow it, so a stream that ends on a chunk
 * boundary needs no `BDAT 0 LAST`). Returns the replies to the last chunk.
 *
 * ```
 * C: BDAT 262144
 * C: <262144 octets>
 * C: BDAT 1820 LAST
 * C: <1820 octets>
 * S: 250 2.0.0 Ok
 * S: 250 2.0.0 Ok: 263964 bytes queued as 4XYZ
 * ```
 * Each chunk of a stream waits for the reply to the one before (a refused chunk stops the stream, RFC
 * 3030 section 2: then `SmtpReplyError` is thrown; the caller sends RSET). Chunks pipelined without
 * waiting (RFC 3030 section 4.2) stall at the end of every message: the client, with nothing left to
 * send, waits for several replies that the server writes one by one, and Nagle holds each reply after the
 * first until the client's delayed ACK (40 ms). Against postfix, 200 streamed messages of 1 MiB (four
 * chunks each) took 6 to 10 s with four chunks in flight and 2.8 to 4.7 s one chunk at a time, as a
 * Buffer does; the price is one round trip per chunk (256 KiB by default), small on a LAN.
 */
export async function writeBdat(io: ConnectionIo, message: MessageSource, options: WriteBdatOptions): Promise<CodedReply[]> {
  if (typeof message === 'string' || message instanceof Uint8Array) return writeWholeBdat(io, wholeBdatBody(message, options.normalize), options)
  const normalizer = options.normalize ? new CrlfNormalizer() : undefined
  const sender = new BdatSender(io, options)
  for await (const chunk of message as AsyncIterable<Uint8Array | string>) {
    if (!(await sender.add(normalizer ? normalizer.push(chunk) : toBuffer(chunk)))) break
  }
  return sender.last(normalizer ? [normalizer.end()] : [])
}

/**
 * writeWholeBdat: a message in memory as one `BDAT n LAST` (the envelope, if any, in the same write),
 * then the final replies: the path of every `send` of a Buffer or string, kept free of the chunking
 * machinery of streams.
 */
async function writeWholeBdat(io: ConnectionIo, body: Buffer, options: WriteBdatOptions): Promise<CodedReply[]> {
  const command = Command.of('BDAT', body.length, 'LAST')
  const envelope = options.envelope
  let finalReplies = options.finalReplies
  if (envelope !== undefined) {
    await io.send([...envelope.commands, command], body)
    finalReplies = await readEnvelope(io, envelope.read)
  } else {
    // The command and the body in one write (one writev for a large body).
    await io.send(command, body)
  }
  const replies: CodedReply[] = []
  for (let i = 0; i < finalReplies; i++) replies.push(await io.readCodedReply())
  return replies
}

/**
 * wholeBdatBody: a Buffer or string as one BDAT body: CRLF-normalised, an open last line closed (no copy
 * when it needs no change), or as it is for BINARYMIME.
 *
 * ```
 * wholeBdatBody('Subject: a\nb', true)   // 'Subject: a\r\nb\r\n'
 * ```
 */
export function wholeBdatBody(message: Uint8Array | string, normalize: boolean): Buffer {
  if (!normalize) return toBuffer(message)
  const normalizer = new CrlfNormalizer()
  const body = normalizer.push(message)
  const tail = normalizer.end()
  return tail.length === 0 ? body : Buffer.concat([body, tail], body.length + tail.length)
}

/**
 * readEnvelope: the envelope's verdict (`read` returns how many replies `BDAT ... LAST` draws); on a
 * refusal the reply to the chunk already sent is read (a 503 or 554), then the refusal is thrown.
 */
async function readEnvelope(io: ConnectionIo, read: () => Promise<number>): Promise<number> {
  try {
    return await read()
  } catch (error) {
    if (ReplyError.isInstance(error)) await io.readCodedReply()
    throw error
  }
}

/** toBuffer: a view of the bytes (a string as UTF-8), never a copy of a Buffer. */
function toBuffer(bytes: Uint8Array | string): Buffer {
  if (typeof bytes === 'string') return Buffer.from(bytes, 'utf8')
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

class BdatSender {
  readonly #io: ConnectionIo
  readonly #options: WriteBdatOptions
  #pending: Buffer[] = []
  #pendingSize = 0
  #failure: SmtpReplyError | undefined
  #envelope: WriteBdatOptions['envelope']
  #finalReplies: number

  constructor(io: ConnectionIo, options: WriteBdatOptions) {
    this.#io = io
    this.#options = options
    this.#envelope = options.envelope
    this.#finalReplies = options.finalReplies
  }

  /**
   * add: queues bytes; a full chunk goes out when more bytes follow it, so that the last chunk always
   * carries bytes and `BDAT n LAST` ends the stream, not an extra round trip for `BDAT 0 LAST` after a
   * stream that ends on a chunk boundary. False once a chunk was refused.
   */
  async add(bytes: Buffer): Promise<boolean> {
    if (bytes.length === 0) return this.#failure === undefined
    if (this.#pendingSize >= this.#options.chunkSize) await this.#flush(false)
    if (this.#failure !== undefined) return false
    this.#pending.push(bytes)
    this.#pendingSize += bytes.length
    return true
  }

  /** last: sends what is left (and `tail`) as `BDAT n LAST` unless a chunk failed, and reads the final replies. */
  async last(tail: Buffer[]): Promise<CodedReply[]> {
    // Every chunk sent was answered: after a refusal nothing more may be sent.
    if (this.#failure !== undefined) throw this.#failure
    for (const bytes of tail) if (bytes.length > 0) this.#pending.push(bytes)
    this.#pendingSize = this.#pending.reduce((sum, bytes) => sum + bytes.length, 0)
    await this.#flush(true)
    const replies: CodedReply[] = []
    for (let i = 0; i < this.#finalReplies; i++) replies.push(await this.#io.readCodedReply())
    return replies
  }

  async #flush(last: boolean): Promise<void> {
    const command = last ? Command.of('BDAT', this.#pendingSize, 'LAST') : Command.of('BDAT', this.#pendingSize)
    const body = this.#pending.length === 1 ? (this.#pending[0] as Buffer) : Buffer.concat(this.#pending, this.#pendingSize)
    this.#pending = []
    this.#pendingSize = 0
    const envelope = this.#envelope
    if (envelope !== undefined && body.length <= PIPELINED_BDAT_MAX_BYTES) {
      // MAIL + RCPT... + BDAT + its chunk in one write, then the envelope's replies in order.
      this.#envelope = undefined
      await this.#io.send([...envelope.commands, command], body)
      this.#finalReplies = await readEnvelope(this.#io, envelope.read)
    } else {
      if (envelope !== undefined) {
        // A big first chunk waits for the envelope's replies (see PIPELINED_BDAT_MAX_BYTES); a refusal
        // throws before any of the message is sent.
        this.#envelope = undefined
        await this.#io.send(envelope.commands)
        this.#finalReplies = await envelope.read()
      }
      await this.#io.send(command, body) // One write (a writev for a big chunk).
    }
    if (last) return
    const reply = await this.#io.readCodedReply()
    if (reply.code !== 250) this.#failure = SmtpReplyError.fromReply(reply, command.toLog())
  }
}
