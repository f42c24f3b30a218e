// Shared by the node POP3 contenders: what to connect to (from the environment the comparison sets), a
// watchdog that reports a hang as a failure instead of blocking the run, and the one JSON line printed last.
import { readFileSync } from 'node:fs'
import { crc32 } from 'node:zlib'

const env = process.env
export const target = {
  host: env.POP3_HOST ?? '127.0.0.1',
  port: Number(env.POP3_PORT),
  user: env.POP3_USER ?? '',
  pass: env.POP3_PASS ?? '',
  /** 'none' (plain POP3 on port) or 'implicit' (POP3S: TLS from the first byte). */
  tls: env.POP3_TLS === 'implicit' ? 'implicit' : 'none',
  ca: env.POP3_CA_FILE ? readFileSync(env.POP3_CA_FILE, 'utf8') : undefined,
}
const timeoutMs = Number(env.POP3_TIMEOUT_MS ?? 60_000)

/** What was seen so far, reported as it is when the watchdog fires or the client throws. */
export const tally = { statCount: 0, statBytes: 0, listCount: 0, listBytes: 0, uidlCount: 0, ops: 0, bytes: 0, crc: 0 }

/** Adds one retrieved message (Buffer or string) to the tally: count, octets, sum of CRC-32s. */
export function countMessage(body) {
  tally.ops++
  tally.bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.length
  tally.crc = (tally.crc + crc32(body)) >>> 0
}

let started = 0n
let cpuStart
const elapsedMs = () => (started === 0n ? 0 : Number(process.hrtime.bigint() - started) / 1e6)
const workCpuMs = () => {
  const { user, system } = process.cpuUsage(cpuStart)
  return (user + system) / 1000
}
const report = (extra) => {
  process.stdout.write(`${JSON.stringify({ workMs: elapsedMs(), workCpuMs: workCpuMs(), ...tally, ...extra })}\n`)
}

/**
 * run: times `work` (connect, STAT, LIST, UIDL, RETR all, QUIT) and prints the JSON line. A client that throws
 * or does not finish within POP3_TIMEOUT_MS is reported as `{ failed }` (verify turns that into a failure).
 */
export async function run(work) {
  const watchdog = setTimeout(() => {
    report({ failed: `hung: no end after ${timeoutMs / 1000} s (${tally.ops} messages, ${tally.bytes} bytes retrieved)` })
    process.exit(0)
  }, timeoutMs)
  started = process.hrtime.bigint()
  cpuStart = process.cpuUsage()
  try {
    await work()
    report({})
  } catch (error) {
    report({ failed: `threw after ${tally.ops} messages: ${error instanceof Error ? error.message : String(error)}`.replace(/\s+/g, ' ') })
  }
  clearTimeout(watchdog)
  process.exit(0)
}
