import { Command, InvalidArgumentError, NetcError, ReplyError, type CodedReply, type ConnectionIo } from '@netc/transport'
import { markDeliveryUncertain } from './delivery-uncertain.ts'
import type { SmtpEnvelope } from './envelope.ts'
import { mailParameters, rcptParameters } from './mail-parameters.ts'
import type { SmtpCapabilities } from './parse-capabilities.ts'
import { prepareAddress } from './prepare-address.ts'
import { SmtpRecipientsRejectedError } from './recipients-rejected-error.ts'
import type { MessageSource, RejectedRecipient, SendOptions, SendResult } from './send-result.ts'
import { SmtpReplyError } from './smtp-reply-error.ts'
import { PIPELINED_BDAT_MAX_BYTES, wholeBdatBody, writeBdat, type WriteBdatOptions } from './write-bdat.ts'

/** What a transaction needs to know of the session. */
export interface TransactionContext {
  capabilities: SmtpCapabilities
  lmtp: boolean
  /** Drops the connection: called when the RSET after a refusal finds it broken (a 421 and hang-up). */
  destroy: (reason: Error) => void
}

interface Plan {
  mail: Command
  recipients: Array<{ recipient: string; command: Command }>
  /** MAIL and every RCPT, in order. */
  commands: Command[]
  bdat: boolean
  normalize: boolean
  /** The message's size when it is in memory (a Buffer or string), else undefined (a stream). */
  size: number | undefined
}

const DEFAULT_CHUNK_SIZE = 256 * 1024

/**
 * sendTransaction: one mail transaction (RFC 5321 section 3.3) on the wire, inside a `Connection.run`.
 * With PIPELINING (RFC 2920) MAIL, every RCPT and DATA go in one write; with CHUNKING the message goes as
 * BDAT chunks (RFC 3030), otherwise dot-stuffed after DATA. With both, the first chunk joins the envelope
 * (RFC 3030 section 4.2): a Buffer or string is MAIL + RCPT... + `BDAT n LAST` + the message in one write. Every recipient's reply is kept; only when none
 * is accepted does it throw (`SmtpRecipientsRejectedError`). A transaction that fails on a reply ends
 * with RSET, so the connection stays usable. LMTP (RFC 2033 section 4.2): one reply per accepted
 * recipient after the message.
 *
 * ```
 * C: MAIL FROM:<a@example.com> BODY=8BITMIME     (one write)
 * C: RCPT TO:<b@example.com>
 * C: RCPT TO:<nobody@example.com>
 * C: DATA
 * S: 250 2.1.0 Ok
 * S: 250 2.1.5 Ok
 * S: 550 5.1.1 <nobody@example.com>: Recipient address rejected
 * S: 354 End data with <CR><LF>.<CR><LF>
 * C: <message, dot-stuffed> .
 * S: 250 2.0.0 Ok: queued as 4XYZ
 * ```
 */
export async function sendTransaction(
  io: ConnectionIo,
  context: TransactionContext,
  envelope: SmtpEnvelope,
  message: MessageSource,
  options: SendOptions = {},
): Promise<SendResult> {
  const plan = planTransaction(context.capabilities, envelope, message, options)
  const progress = { committed: false }
  try {
    const size = plan.size
    if (plan.bdat && context.capabilities.pipelining && size !== undefined && size <= PIPELINED_BDAT_MAX_BYTES) {
      // The common case, a message in memory: MAIL + RCPT... + `BDAT n LAST` + the message in one write.
      return await sendWholeWithBdat(io, context, plan, message as Uint8Array | string, progress)
    }
    // A larger message waits for the envelope's replies (one round trip) before it goes.
    return await runPlan(io, context, plan, message, options, progress, size !== undefined)
  } catch (error) {
    if (ReplyError.isInstance(error)) {
      const broken = await resetQuietly(io)
      if (broken !== undefined) context.destroy(broken)
      throw error
    }
    // A failing message source is no protocol failure: name it, and keep it a NetcError so that the
    // connection (now in the middle of the data, unusable) is closed with it as the reason.
    const failure = NetcError.isInstance(error) ? error : new NetcError(`reading the message failed: ${String(error)}`, { cause: error })
    if (progress.committed) markDeliveryUncertain(failure)
    throw failure
  }
}

/** planTransaction: every command made and checked before the first byte is written. */
function planTransaction(capabilities: SmtpCapabilities, envelope: SmtpEnvelope, message: MessageSource, options: SendOptions): Plan {
  const to: readonly string[] = Array.isArray(envelope.to) ? envelope.to : []
  if (to.length === 0) throw new InvalidArgumentError('the envelope needs at least one recipient')
  const smtpUtf8 = capabilities.smtpUtf8
  const from = prepareAddress(envelope.from, { smtpUtf8, role: 'from' })
  const size = typeof message === 'string' ? Buffer.byteLength(message) : message instanceof Uint8Array ? message.length : undefined
  const mail = Command.of('MAIL', `FROM:<${from}>`, ...mailParameters(envelope, capabilities, { size }))
  const recipients: Plan['recipients'] = []
  const commands = [mail]
  for (let i = 0; i < to.length; i++) {
    const recipient = to[i] as string
    const address = prepareAddress(recipient, { smtpUtf8, role: 'to' })
    const parameters = rcptParameters(address, envelope.dsn, capabilities)
    const command = parameters.length === 0 ? Command.of('RCPT', `TO:<${address}>`) : Command.of('RCPT', `TO:<${address}>`, ...parameters)
    recipients.push({ recipient, command })
    commands.push(command)
  }
  const transfer = options.transfer ?? 'auto'
  if (transfer === 'bdat' && !capabilities.chunking) throw new InvalidArgumentError("transfer: 'bdat': the server does not offer CHUNKING")
  const bdat = transfer === 'bdat' || (transfer === 'auto' && capabilities.chunking) || envelope.body === 'BINARYMIME'
  if (options.chunkSize !== undefined && !(Number.isInteger(options.chunkSize) && options.chunkSize > 0)) {
    throw new InvalidArgumentError(`chunkSize: ${String(options.chunkSize)} (a positive integer)`)
  }
  return { mail, recipients, commands, bdat, normalize: envelope.body !== 'BINARYMIME', size }
}

async function runPlan(
  io: ConnectionIo,
  context: TransactionContext,
  plan: Plan,
  message: MessageSource,
  options: SendOptions,
  progress: { committed: boolean },
  envelopeFirst = false,
): Promise<SendResult> {
  const pipelining = context.capabilities.pipelining
  const finalReplies = 1
  let verdict: EnvelopeVerdict
  let replies: CodedReply[]
  if (plan.bdat && pipelining && !envelopeFirst) {
    // RFC 3030 section 4.2: BDAT may close the pipelined group, so MAIL + RCPT... + the first chunk of a
    // stream go in one write, and the replies are read in order; a first chunk over
    // PIPELINED_BDAT_MAX_BYTES goes after the envelope's replies instead (writeBdat).
    let judged: EnvelopeVerdict | undefined
    const envelope = {
      commands: plan.commands,
      read: async (): Promise<number> => {
        // The group is written: from here the server may take the message even if the connection dies
        // before a single reply is read.
        progress.committed = true
        judged = await readEnvelopeVerdict(io, plan)
        return context.lmtp ? judged.accepted.length : 1
      },
    }
    replies = await writeBdat(io, message, bdatOptions(plan, options, finalReplies, envelope))
    verdict = judged as EnvelopeVerdict
  } else {
    // A message in memory for BDAT gets its CRLF check while the server answers the envelope, off the
    // round trip (with PIPELINING; without, before the first command).
    let body = message
    let normalize = plan.normalize
    const prepare = plan.bdat && envelopeFirst
      ? () => {
          body = wholeBdatBody(message as Uint8Array | string, normalize)
          normalize = false
        }
      : undefined
    const { mailReply, rcptReplies, dataReply } = await sendEnvelope(io, plan, pipelining, prepare)
    if (dataReply?.code === 354 && (mailReply.code !== 250 || !rcptReplies.some(isAccepted))) {
      // RFC 2920 section 3.1: a server may accept a pipelined DATA with no valid recipient; end it empty.
      await io.write(Buffer.from('.\r\n'))
      await io.readCodedReply()
    }
    verdict = judgeEnvelope(plan, mailReply, rcptReplies)
    const count = context.lmtp ? verdict.accepted.length : 1
    replies = await sendMessage(io, plan, body, { ...bdatOptions(plan, options, count), normalize }, dataReply, progress)
  }
  return conclude(context, plan, verdict, replies)
}

/** conclude: the result from the envelope's verdict and the replies to the message; a refused message throws. */
function conclude(context: TransactionContext, plan: Plan, verdict: EnvelopeVerdict, replies: CodedReply[]): SendResult {
  const { accepted, rejected } = verdict
  const verb = plan.bdat ? 'BDAT' : 'DATA'
  if (!context.lmtp) {
    const reply = replies[0] as CodedReply
    if (!isPositive(reply)) throw SmtpReplyError.fromReply(reply, verb)
    return { accepted: recipientsOf(accepted), rejected, response: reply }
  }
  return judgeLmtpReplies(accepted, rejected, replies, verb)
}

function bdatOptions(plan: Plan, options: SendOptions, finalReplies: number, envelope?: WriteBdatOptions['envelope']): WriteBdatOptions {
  return { normalize: plan.normalize, chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE, finalReplies, envelope }
}

/**
 * sendWholeWithBdat: a message in memory, with PIPELINING and CHUNKING: MAIL, every RCPT and
 * `BDAT n LAST` with the message in one write (RFC 3030 section 4.2), then the replies in order. When the
 * envelope is refused, the reply to the BDAT already sent (a 503 or 554) is read before the refusal is
 * thrown, so the session stays in step for the RSET.
 */
async function sendWholeWithBdat(
  io: ConnectionIo,
  context: TransactionContext,
  plan: Plan,
  message: Uint8Array | string,
  progress: { committed: boolean },
): Promise<SendResult> {
  const body = wholeBdatBody(message, plan.normalize)
  await io.send([...plan.commands, Command.of('BDAT', body.length, 'LAST')], body)
  // The message is out: from here the server may take it even if the connection dies before a reply.
  progress.committed = true
  const envelopeReplies = await readReplies(io, plan.commands.length)
  let verdict: EnvelopeVerdict
  try {
    verdict = judgeEnvelope(plan, envelopeReplies[0] as CodedReply, envelopeReplies.slice(1))
  } catch (error) {
    if (ReplyError.isInstance(error)) await io.readCodedReply()
    throw error
  }
  const replies = await readReplies(io, context.lmtp ? verdict.accepted.length : 1)
  return conclude(context, plan, verdict, replies)
}

/** readReplies: the next `count` replies, in order. */
async function readReplies(io: ConnectionIo, count: number): Promise<CodedReply[]> {
  const replies: CodedReply[] = []
  for (let i = 0; i < count; i++) replies.push(await io.readCodedReply())
  return replies
}

/** readEnvelopeVerdict: the replies to MAIL and each RCPT, judged (`judgeEnvelope`). */
async function readEnvelopeVerdict(io: ConnectionIo, plan: Plan): Promise<EnvelopeVerdict> {
  const replies = await readReplies(io, plan.commands.length)
  return judgeEnvelope(plan, replies[0] as CodedReply, replies.slice(1))
}

function recipientsOf(entries: Plan['recipients']): string[] {
  const recipients: string[] = []
  for (let i = 0; i < entries.length; i++) recipients.push((entries[i] as Plan['recipients'][number]).recipient)
  return recipients
}

interface EnvelopeVerdict {
  accepted: Plan['recipients']
  rejected: RejectedRecipient[]
}

/** judgeEnvelope: the recipients accepted and refused; throws when MAIL, or every RCPT, was refused. */
function judgeEnvelope(plan: Plan, mailReply: CodedReply, rcptReplies: CodedReply[]): EnvelopeVerdict {
  if (mailReply.code !== 250) throw SmtpReplyError.fromReply(mailReply, plan.mail.toLog())
  const accepted: Plan['recipients'] = []
  const rejected: RejectedRecipient[] = []
  plan.recipients.forEach((entry, i) => {
    const reply = rcptReplies[i] as CodedReply
    if (isAccepted(reply)) accepted.push(entry)
    else rejected.push({ recipient: entry.recipient, error: SmtpReplyError.fromReply(reply, entry.command.toLog()) })
  })
  if (accepted.length === 0) throw new SmtpRecipientsRejectedError(rejected)
  return { accepted, rejected }
}

/** sendMessage: the message after an envelope already answered: BDAT chunks, or DATA and the dot-stuffed body. */
async function sendMessage(
  io: ConnectionIo,
  plan: Plan,
  message: MessageSource,
  bdatOptions: WriteBdatOptions,
  dataReply: CodedReply | undefined,
  progress: { committed: boolean },
): Promise<CodedReply[]> {
  if (plan.bdat) {
    progress.committed = true
    return writeBdat(io, message, bdatOptions)
  }
  const data = Command.of('DATA')
  io.expect(dataReply ?? (await execute(io, data)), 354, data)
  progress.committed = true
  await io.writeDotBody(message)
  const replies: CodedReply[] = []
  for (let i = 0; i < bdatOptions.finalReplies; i++) replies.push(await io.readCodedReply())
  return replies
}

/**
 * sendEnvelope: MAIL, RCPT... (and DATA unless BDAT follows): in one write with PIPELINING, else one by
 * one. `prepare` runs once, while the server answers the pipelined write (before the first command without).
 */
async function sendEnvelope(
  io: ConnectionIo,
  plan: Plan,
  pipelining: boolean,
  prepare?: () => void,
): Promise<{ mailReply: CodedReply; rcptReplies: CodedReply[]; dataReply?: CodedReply }> {
  const commands = [...plan.commands]
  if (pipelining) {
    if (!plan.bdat) commands.push(Command.of('DATA'))
    await io.send(commands)
    prepare?.()
    const replies: CodedReply[] = []
    for (let i = 0; i < commands.length; i++) replies.push(await io.readCodedReply())
    const [mailReply, ...rest] = replies as [CodedReply, ...CodedReply[]]
    return plan.bdat ? { mailReply, rcptReplies: rest } : { mailReply, rcptReplies: rest.slice(0, -1), dataReply: rest.at(-1) as CodedReply }
  }
  prepare?.()
  const mailReply = await execute(io, plan.mail)
  if (mailReply.code !== 250) return { mailReply, rcptReplies: [] }
  const rcptReplies: CodedReply[] = []
  for (const entry of plan.recipients) rcptReplies.push(await execute(io, entry.command))
  return { mailReply, rcptReplies }
}

/** judgeLmtpReplies: RFC 2033 section 4.2: the i-th reply after the message is the i-th accepted recipient's. */
function judgeLmtpReplies(
  accepted: ReadonlyArray<{ recipient: string }>,
  rejected: RejectedRecipient[],
  replies: CodedReply[],
  verb: string,
): SendResult {
  const delivered: string[] = []
  accepted.forEach(({ recipient }, i) => {
    const reply = replies[i] as CodedReply
    if (isPositive(reply)) delivered.push(recipient)
    else rejected.push({ recipient, error: SmtpReplyError.fromReply(reply, verb) })
  })
  if (delivered.length === 0) throw new SmtpRecipientsRejectedError(rejected)
  const response = replies.find(isPositive) as CodedReply
  return { accepted: delivered, rejected, response }
}

async function execute(io: ConnectionIo, command: Command): Promise<CodedReply> {
  await io.send(command)
  return io.readCodedReply()
}

/**
 * resetQuietly: RSET after a failed transaction (RFC 5321 section 4.1.1.5). Its failure is not the
 * caller's story (the refusal is), but a connection it finds broken is returned, to be dropped.
 */
async function resetQuietly(io: ConnectionIo): Promise<Error | undefined> {
  try {
    await execute(io, Command.of('RSET'))
    return undefined
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}

const isAccepted = (reply: CodedReply): boolean => reply.code === 250 || reply.code === 251
const isPositive = (reply: CodedReply): boolean => reply.code >= 200 && reply.code < 300

