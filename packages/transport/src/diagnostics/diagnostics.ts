import { channel, type Channel } from 'node:diagnostics_channel'

/** What a debug option may be: `true` (a transcript on stderr) or a function that takes each line. */
export type DebugOption = boolean | ((line: string) => void)

/** The four channels of a protocol: `netc:<protocol>:connect|command|reply|tls`. */
export interface ProtocolChannels {
  connect: Channel
  command: Channel
  reply: Channel
  tls: Channel
}

const cache = new Map<string, ProtocolChannels>()

/**
 * protocolChannels: the `node:diagnostics_channel` channels of one protocol (DESIGN.md principle 10).
 * Messages carry redacted text only: PASS, AUTH, AUTHINFO and SASL payloads never appear.
 *
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel'
 * subscribe('netc:smtp:command', (message) => console.log(message))  // { connectionId, command: 'MAIL FROM:<a@b>' }
 * ```
 */
export function protocolChannels(protocol: string): ProtocolChannels {
  let channels = cache.get(protocol)
  if (!channels) {
    channels = {
      connect: channel(`netc:${protocol}:connect`),
      command: channel(`netc:${protocol}:command`),
      reply: channel(`netc:${protocol}:reply`),
      tls: channel(`netc:${protocol}:tls`),
    }
    cache.set(protocol, channels)
  }
  return channels
}

/**
 * transcriptWriter: turns a `debug` option into a function that writes `C: ...` / `S: ...` lines, or
 * undefined when debugging is off. `true` writes to stderr, as smtplib's `set_debuglevel(1)` does.
 */
export function transcriptWriter(debug: DebugOption | undefined): ((line: string) => void) | undefined {
  if (debug === undefined || debug === false) return undefined
  if (debug === true) return (line) => process.stderr.write(`${line}\n`)
  return debug
}
