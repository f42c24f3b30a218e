import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { startPostfix, type SmtpDaemon } from '@netc/harness'
import type { BenchMode, Comparison, ContenderCommand, ContenderOutput } from '../compare/comparison.ts'
import { memoryDirectory } from '../compare/memory-directory.ts'
import { dotStuff, makeMessage } from './smtp-message.ts'

const contenders = resolve(dirname(fileURLToPath(import.meta.url)), '../../contenders/smtp')
const python = '/usr/bin/python3'

interface SmtpContext {
  postfix: SmtpDaemon
  directory: string
  /** The ready-made message every contender sends. */
  messageFile: string
  /** The same message dot-stuffed with its final `.` line, for the socket loop. */
  stuffedFile: string
  size: number
  count: number
  /** The message's lines (postfix queues it with LF line ends). */
  lines: number
  /** Where postfix's log stood when the current run began. */
  logOffset: number
  /**
   * postfix's queued size of the first verified run, less the length of the contender's name (which its
   * Received: header holds): every other run must match it to the byte.
   */
  queuedReference?: number
}

interface Workload {
  name: string
  title: string
  size: number
  count: Record<BenchMode, number>
}

/** Each contender sends from `NAME@example.org` to `NAME@bench.test`: postfix discards it and logs it by name. */
function addresses(contender: string): [string, string] {
  return [`${contender}@example.org`, `${contender}@bench.test`]
}

function node(script: string, context: SmtpContext, contender: string, ...extra: string[]): ContenderCommand {
  const [from, to] = addresses(contender)
  return {
    argv: [process.execPath, join(contenders, script), context.postfix.host, String(context.postfix.port), context.messageFile, String(context.count), from, to, ...extra],
  }
}

/**
 * The contenders: netc on one connection (BDAT, since postfix offers CHUNKING, and forced to DATA), netc's
 * pool of 5, nodemailer with a connection per message and pooled with 1 and 5, Python's smtplib, and the
 * floor: a raw pipelined socket loop with the message dot-stuffed beforehand.
 */
const smtpContenders: Comparison<SmtpContext>['contenders'] = [
  { name: 'netc', command: (c) => node('netc.mjs', c, 'netc', 'auto') },
  { name: 'netc-data', command: (c) => node('netc.mjs', c, 'netc-data', 'data') },
  { name: 'netc-pool-5', command: (c) => node('netc-pool.mjs', c, 'netc-pool-5', '5') },
  { name: 'nodemailer', command: (c) => node('nodemailer.mjs', c, 'nodemailer', '0') },
  { name: 'nodemailer-pool-1', command: (c) => node('nodemailer.mjs', c, 'nodemailer-pool-1', '1') },
  { name: 'nodemailer-pool-5', command: (c) => node('nodemailer.mjs', c, 'nodemailer-pool-5', '5') },
  {
    name: 'smtplib',
    command: (c) => {
      const [from, to] = addresses('smtplib')
      return {
        argv: [python, '-W', 'ignore::DeprecationWarning', join(contenders, 'smtplib_send.py'), c.postfix.host, String(c.postfix.port), c.messageFile, String(c.count), from, to],
      }
    },
  },
  {
    name: 'socket-loop',
    command: (c) => {
      const command = node('socket-loop.mjs', c, 'socket-loop', String(c.size))
      command.argv[4] = c.stuffedFile
      return command
    },
  },
]

/**
 * What postfix logged for one contender's run: the messages its queue manager took from the sender (with
 * their sizes) and the recipients the discard agent delivered to.
 */
function tally(log: string, contender: string): { delivered: number; sizes: number[] } {
  const [from, to] = addresses(contender)
  let delivered = 0
  const sizes: number[] = []
  for (const line of log.split('\n')) {
    if (line.includes(`to=<${to}>`) && line.includes('status=sent')) delivered++
    // `QUEUEID: from=<...>, size=N, ...`: the Received: header postfix adds holds the queue ID, whose
    // length follows the queue file's inode number (it grows by a digit on a busy tmpfs): not counted.
    const size = line.includes(`from=<${from}>, size=`) ? /([0-9A-Za-z]+): from=<[^>]*>, size=(\d+),/.exec(line) : null
    if (size) sizes.push(Number(size[2]) - (size[1] ?? '').length)
  }
  return { delivered, sizes }
}

async function verifySmtp(context: SmtpContext, contender: string, output: ContenderOutput): Promise<void> {
  const { count, size } = context
  if (output.ops !== count) throw new Error(`${contender} reports ${String(output.ops)} accepted messages of ${count}`)
  if (output.bytes !== count * size) throw new Error(`${contender} reports ${String(output.bytes)} bytes, not ${count * size}`)
  // postfix takes the message before it queues it for the discard agent: wait for the deliveries.
  const deadline = Date.now() + 60_000
  for (;;) {
    const { delivered, sizes } = tally((await context.postfix.log()).slice(context.logOffset), contender)
    if (delivered > count) throw new Error(`postfix delivered ${delivered} messages from ${contender}, more than ${count}`)
    if (delivered === count && sizes.length === count) {
      // postfix's size is the message as queued: LF line ends, and the Received: header it adds
      const reference = context.queuedReference ?? (sizes[0] ?? 0) - contender.length
      const wrong = sizes.filter((queued) => queued - contender.length !== reference)
      if (wrong.length > 0) throw new Error(`postfix queued ${wrong.length} messages from ${contender} of ${String(wrong[0])} bytes, not ${reference + contender.length}`)
      if (reference < size - context.lines || reference > size + 1024) throw new Error(`postfix queued ${reference} bytes for ${size}`)
      context.queuedReference = reference
      return
    }
    if (Date.now() > deadline) throw new Error(`postfix delivered ${delivered} of ${count} messages from ${contender} within 60 s`)
    await sleep(100)
  }
}

function smtpComparison(workload: Workload): Comparison<SmtpContext> {
  return {
    name: workload.name,
    group: 'smtp',
    title: workload.title,
    baseline: 'netc',
    async setup(mode) {
      const directory = await mkdtemp(join(tmpdir(), 'netc-bench-smtp-'))
      try {
        const message = makeMessage(workload.size)
        const messageFile = join(directory, 'message.eml')
        const stuffedFile = join(directory, 'message.stuffed')
        await writeFile(messageFile, message)
        await writeFile(stuffedFile, dotStuff(message))
        const parentDirectory = memoryDirectory()
        const postfix = await startPostfix(parentDirectory === undefined ? {} : { parentDirectory })
        const lines = message.toString('latin1').split('\r\n').length - 1
        return { postfix, directory, messageFile, stuffedFile, size: workload.size, count: workload.count[mode], lines, logOffset: 0 }
      } catch (error) {
        await rm(directory, { recursive: true, force: true })
        throw error
      }
    },
    contenders: smtpContenders,
    async beforeRun(context) {
      context.logOffset = (await context.postfix.log()).length
    },
    verify: verifySmtp,
    async teardown(context) {
      try {
        await context.postfix.stop()
      } finally {
        await rm(context.directory, { recursive: true, force: true })
      }
    },
  }
}

/** The smtp comparisons (issue 5: @netc/smtp beside nodemailer, smtplib and a raw socket loop, against postfix). */
export const smtpComparisons = [
  smtpComparison({ name: 'smtp-send-2kib', title: 'SMTP: send 2 KiB messages to postfix', size: 2048, count: { full: 2000, quick: 50 } }),
  smtpComparison({ name: 'smtp-send-1mib', title: 'SMTP: send 1 MiB messages to postfix', size: 1024 * 1024, count: { full: 200, quick: 5 } }),
] as unknown as Array<Comparison<unknown>>
