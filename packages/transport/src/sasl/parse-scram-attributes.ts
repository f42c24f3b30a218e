import { ProtocolError } from '../errors/index.ts'

/** One SCRAM attribute, `r=fyko+d2lb...` read as `{ name: 'r', value: 'fyko+d2lb...' }`. */
export interface ScramAttribute {
  readonly name: string
  readonly value: string
}

const ATTRIBUTE = /^([A-Za-z])=(.*)$/s

/**
 * parseScramAttributes: a SCRAM server message split into its attributes, in order (RFC 5802 section
 * 7: `attr-val = ALPHA "=" value`, values never hold a comma).
 *
 * `r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096` gives three attributes.
 * A message that is not UTF-8, an empty part or a part without `x=` is a `ProtocolError`.
 */
export function parseScramAttributes(message: Buffer, what: string): ScramAttribute[] {
  const text = message.toString('utf8')
  if (!Buffer.from(text, 'utf8').equals(message)) throw new ProtocolError(`SASL SCRAM: the ${what} is not UTF-8`)
  return text.split(',').map((part) => {
    const match = ATTRIBUTE.exec(part)
    if (match === null) throw new ProtocolError(`SASL SCRAM: malformed ${what}`)
    return { name: match[1] ?? '', value: match[2] ?? '' }
  })
}

/** isPrintableNonce: true for a SCRAM nonce, printable ASCII without a comma (RFC 5802 section 7, `printable`). */
export function isPrintableNonce(nonce: string): boolean {
  return /^[\x21-\x2b\x2d-\x7e]+$/.test(nonce)
}
