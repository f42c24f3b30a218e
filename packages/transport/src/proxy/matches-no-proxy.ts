import { BlockList, isIP } from 'node:net'

/**
 * matchesNoProxy: true when `host` (and `port`) is in a `NO_PROXY` list, read the way curl reads it: a
 * comma (or space) separated list; `*` alone matches every host; a name matches itself and every name
 * under it (`example.com` and `.example.com` both match `www.example.com`); an IP address matches
 * itself, a CIDR block (`10.0.0.0/8`, `fd00::/8`) its addresses; `host:port` (`[::1]:25` for IPv6)
 * matches that port only. Case and a trailing dot are ignored.
 *
 * ```ts
 * matchesNoProxy('NO_PROXY=internal.example,10.0.0.0/8,mail.example.com:25'.slice(9), 'smtp.internal.example', 25)  // true
 * ```
 */
export function matchesNoProxy(list: string, host: string, port?: number): boolean {
  const name = normalise(host)
  return list
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .some((entry) => entry === '*' || matchesEntry(entry.toLowerCase(), name, port))
}

function matchesEntry(entry: string, name: string, port: number | undefined): boolean {
  const { pattern, entryPort } = splitPort(entry)
  if (entryPort !== undefined && entryPort !== port) return false
  const cidr = /^(.+)\/(\d{1,3})$/.exec(pattern)
  if (cidr) return inBlock(cidr[1] ?? '', Number(cidr[2]), name)
  const wanted = normalise(pattern).replace(/^\*?\./, '')
  if (wanted === '') return false
  if (isIP(wanted) !== 0 || isIP(name) !== 0) return wanted === name
  return name === wanted || name.endsWith(`.${wanted}`)
}

function splitPort(entry: string): { pattern: string; entryPort: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed) return { pattern: bracketed[1] ?? '', entryPort: bracketed[2] === undefined ? undefined : Number(bracketed[2]) }
  const withPort = /^([^:]+):(\d+)$/.exec(entry)
  if (withPort) return { pattern: withPort[1] ?? '', entryPort: Number(withPort[2]) }
  return { pattern: entry, entryPort: undefined }
}

function inBlock(network: string, prefix: number, name: string): boolean {
  const family = isIP(network)
  if (family === 0 || isIP(name) !== family) return false
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (prefix > (family === 4 ? 32 : 128)) return false
  const block = new BlockList()
  block.addSubnet(network, prefix, type)
  return block.check(name, type)
}

function normalise(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
}
