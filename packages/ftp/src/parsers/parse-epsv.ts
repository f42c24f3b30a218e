import { ProtocolError } from '@netc/transport'

/**
 * parseEpsv: the port in an EPSV reply (RFC 2428 section 3): `(<d><d><d><port><d>)`, where the
 * delimiter `<d>` is any printable character, usually `|`. The host is the control connection's.
 *
 * ```
 * 229 Entering Extended Passive Mode (|||42131|)  → 42131
 * 229 Extended Passive mode OK (|||42141|)        → 42141   (pure-ftpd)
 * ```
 * Throws `ProtocolError` for anything else, or a port outside 1-65535.
 */
export function parseEpsv(text: string): number {
  const match = /\(([\x21-\x7e])\1\1(\d{1,5})\1\)/.exec(text)
  if (match === null) throw new ProtocolError(`malformed EPSV reply: ${JSON.stringify(text.slice(0, 80))}`)
  const port = Number(match[2])
  if (port < 1 || port > 65535) throw new ProtocolError(`EPSV reply has port ${port}`)
  return port
}
