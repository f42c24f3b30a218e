import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDovecot, type Pop3Daemon } from '@netc/harness'
import { Pop3Client } from '@netc/pop3'
import type { BenchMode, Comparison, ContenderOutput } from '../compare/comparison.ts'
import { makeMessages, type MailboxExpectation } from './pop3-mailbox.ts'

const contenders = resolve(dirname(fileURLToPath(import.meta.url)), '../../contenders/pop3')

/** What every contender gets: the dovecot to read, the mailbox's owner, and what the mailbox holds. */
interface Pop3Context {
  daemon: Pop3Daemon
  user: string
  pass: string
  tls: 'none' | 'implicit'
  expected: MailboxExpectation
  /** The contender reports a hang as a failure after this long (its own watchdog; the runner's is minutes). */
  timeoutMs: number
}

/** The figures a POP3 contender prints (common.mjs and poplib_client.py). */
interface Pop3Output extends ContenderOutput {
  statCount?: number
  statBytes?: number
  listCount?: number
  listBytes?: number
  uidlCount?: number
  crc?: number
  failed?: string
}

interface MailboxShape {
  /** Messages and their approximate size, per mode. */
  count: Record<BenchMode, number>
  size: number
  tls: 'none' | 'implicit'
  timeoutMs: Record<BenchMode, number>
}

/**
 * setupMailbox: starts dovecot, fills alice's Maildir directly (fillMailbox), then logs in once and reads
 * everything (LIST, UIDL, RETR all, QUIT) so that dovecot has built its index, cached the sizes and marked the
 * messages seen before anything is timed: every run then finds the same mailbox (nothing is deleted).
 */
async function setupMailbox(mode: BenchMode, shape: MailboxShape): Promise<Pop3Context> {
  const daemon = await startDovecot()
  try {
    const account = daemon.users[0]!
    const { messages, expected } = makeMessages(shape.count[mode], shape.size)
    await daemon.fillMailbox(account.user, messages)
    messages.length = 0
    const pop = await Pop3Client.connect({ host: daemon.host, port: daemon.port, tls: 'none', auth: account, mechanism: 'USER' })
    let seen = 0
    for await (const message of pop.retrieveAll()) seen += message.body.length > 0 ? 1 : 0
    await pop.close()
    if (seen !== expected.count) throw new Error(`pop3 setup: dovecot shows ${seen} messages, ${expected.count} were filled`)
    return { daemon, user: account.user, pass: account.pass, tls: shape.tls, expected, timeoutMs: shape.timeoutMs[mode] }
  } catch (error) {
    await daemon.stop()
    throw error
  }
}

function environment(context: Pop3Context): Record<string, string> {
  const { daemon } = context
  return {
    POP3_HOST: daemon.host,
    POP3_PORT: String(context.tls === 'implicit' ? daemon.tlsPort : daemon.port),
    POP3_TLS: context.tls,
    POP3_CA_FILE: daemon.caFile,
    POP3_USER: context.user,
    POP3_PASS: context.pass,
    POP3_TIMEOUT_MS: String(context.timeoutMs),
  }
}

const node = (script: string) => ({
  name: script === 'raw' ? 'raw net, 16 in flight' : script === 'netc' ? '@netc/pop3' : script,
  command: (context: Pop3Context) => ({ argv: [process.execPath, resolve(contenders, `${script}.mjs`)], env: environment(context) }),
})

/** @netc/pop3 with `retrieveAll({ reuseBodies: true })`: the loop keeps no body, so their memory is recycled. */
const netcReuse = {
  name: '@netc/pop3 reuseBodies',
  command: (context: Pop3Context) => ({ argv: [process.execPath, resolve(contenders, 'netc.mjs'), 'reuse'], env: environment(context) }),
}

const poplib = {
  name: 'python poplib',
  command: (context: Pop3Context) => ({
    argv: ['/usr/bin/python3', resolve(contenders, 'poplib_client.py')],
    env: { ...environment(context), PYTHONWARNINGS: 'ignore::DeprecationWarning' },
  }),
}

/** yapople has no UIDL command: it does everything else, and the table says so in its name. */
const yapopleName = 'yapople (no UIDL)'

/**
 * node-pop3 and yapople cut the terminator's CRLF off as `\r\n.\r\n`, taking the message's own final CRLF with
 * it: every message comes back 2 octets short. That is checked exactly (count - 2 octets each, the CRC-32s of
 * the shortened messages), so that they still show in the table, and reported in the README.
 */
const dropsFinalCrlf = new Set(['node-pop3', yapopleName])

/**
 * verify: a contender must have seen the whole mailbox (STAT, LIST count and octets), retrieved every message
 * with exactly the filled octets (count, byte total, sum of CRC-32s) and listed every unique id (except yapople,
 * which cannot). A hang or an exception inside the contender arrives as `failed` and fails it here.
 */
function verify(context: Pop3Context, contender: string, raw: ContenderOutput): void {
  const output = raw as Pop3Output
  if (typeof output.failed === 'string') throw new Error(output.failed)
  const { count } = context.expected
  const short = dropsFinalCrlf.has(contender)
  const bytes = context.expected.bytes
  const retrievedBytes = short ? bytes - 2 * count : bytes
  const crc = short ? context.expected.crcWithoutFinalCrlf : context.expected.crc
  const checks: Array<[string, unknown, number]> = [
    ['STAT count', output.statCount, count],
    ['STAT octets', output.statBytes, bytes],
    ['LIST entries', output.listCount, count],
    ['LIST octets', output.listBytes, bytes],
    ['UIDL entries', output.uidlCount, contender === yapopleName ? 0 : count],
    ['messages retrieved', output.ops, count],
    ['octets retrieved', output.bytes, retrievedBytes],
    ['sum of CRC-32', output.crc, crc],
  ]
  const wrong = checks.filter(([, got, want]) => got !== want).map(([what, got, want]) => `${what} ${String(got)} (expected ${want})`)
  if (wrong.length > 0) throw new Error(`${contender} did not do the whole work: ${wrong.join(', ')}`)
}

function mailboxComparison(name: string, title: string, shape: MailboxShape): Comparison<Pop3Context> {
  return {
    name,
    group: 'pop3',
    title,
    baseline: '@netc/pop3',
    setup: (mode) => setupMailbox(mode, shape),
    contenders: [node('netc'), netcReuse, node('raw'), node('node-pop3'), { ...node('yapople'), name: yapopleName }, poplib],
    verify,
    teardown: (context) => context.daemon.stop(),
  }
}

const MiB = 1024 * 1024

/** The pop3 comparisons (issue 6: @netc/pop3 beside node-pop3, yapople, poplib and a raw pipelined floor). */
export const pop3Comparisons: Array<Comparison<unknown>> = [
  mailboxComparison('pop3-10k-4kib', 'POP3, dovecot: STAT, LIST, UIDL, RETR all, QUIT (10,000 x 4 KiB; quick 200)', {
    count: { full: 10_000, quick: 200 },
    size: 4096,
    tls: 'none',
    timeoutMs: { full: 30_000, quick: 8_000 },
  }),
  mailboxComparison('pop3-50-1mib', 'POP3, dovecot: STAT, LIST, UIDL, RETR all, QUIT (50 x 1 MiB; quick 5)', {
    count: { full: 50, quick: 5 },
    size: MiB,
    tls: 'none',
    timeoutMs: { full: 30_000, quick: 8_000 },
  }),
  mailboxComparison('pop3s-10k-4kib', 'POP3S (implicit TLS, CA verified), dovecot: the 10,000 x 4 KiB workload (quick 200)', {
    count: { full: 10_000, quick: 200 },
    size: 4096,
    tls: 'implicit',
    timeoutMs: { full: 30_000, quick: 8_000 },
  }),
]
