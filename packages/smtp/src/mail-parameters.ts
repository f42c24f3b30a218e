import { InvalidArgumentError } from '@netc/transport'
import { encodeXtext } from './encode-xtext.ts'
import type { DsnOptions, SmtpEnvelope } from './envelope.ts'
import type { SmtpCapabilities } from './parse-capabilities.ts'
import { needsSmtpUtf8 } from './prepare-address.ts'

/** What `mailParameters` needs to know of the message: its size in bytes, when known. */
export interface MessageFacts {
  size?: number | undefined
}

/**
 * mailParameters: the ESMTP parameters of `MAIL FROM` for an envelope, only those the server offers.
 *
 * ```
 * mailParameters({ from, to, dsn: { ret: 'headers', envelopeId: 'q 1' } }, caps, { size: 2048 })
 * // ['SIZE=2048', 'BODY=8BITMIME', 'RET=HDRS', 'ENVID=q+201']
 * C: MAIL FROM:<a@example.com> SIZE=2048 BODY=8BITMIME RET=HDRS ENVID=q+201
 * ```
 * SIZE (RFC 1870 section 6), BODY (RFC 6152 section 2, RFC 3030 section 3), SMTPUTF8 (RFC 6531 section 3.4),
 * RET and ENVID (RFC 3461 section 4.3-4.4), REQUIRETLS (RFC 8689 section 4.1). Throws
 * `InvalidArgumentError` when the envelope asks for what the server cannot do (BINARYMIME, REQUIRETLS) or
 * when a message is larger than the server's SIZE.
 */
export function mailParameters(envelope: SmtpEnvelope, capabilities: SmtpCapabilities, facts: MessageFacts = {}): string[] {
  const parameters: string[] = []
  const size = facts.size ?? envelope.size
  if (capabilities.size !== undefined && size !== undefined) {
    if (capabilities.size > 0 && size > capabilities.size) {
      throw new InvalidArgumentError(`the message (${size} bytes) is larger than the server's SIZE limit of ${capabilities.size} bytes`)
    }
    parameters.push(`SIZE=${Math.max(0, Math.floor(size))}`)
  }
  const body = bodyParameter(envelope, capabilities)
  if (body !== undefined) parameters.push(body)
  if (capabilities.smtpUtf8 && wantsSmtpUtf8(envelope)) parameters.push('SMTPUTF8')
  if (envelope.requireTls === true) {
    if (!capabilities.requireTls) throw new InvalidArgumentError('requireTls: the server does not offer REQUIRETLS')
    parameters.push('REQUIRETLS')
  }
  if (capabilities.dsn && envelope.dsn !== undefined) parameters.push(...dsnMailParameters(envelope.dsn))
  return parameters
}

/**
 * rcptParameters: the ESMTP parameters of one `RCPT TO` (DSN's NOTIFY and ORCPT, RFC 3461 section 4.1-4.2),
 * empty when the server lacks DSN.
 *
 * ```
 * rcptParameters('b@example.com', { notify: ['success', 'failure'], orcpt: true }, caps)
 * // ['NOTIFY=SUCCESS,FAILURE', 'ORCPT=rfc822;b@example.com']
 * ```
 */
export function rcptParameters(address: string, dsn: DsnOptions | undefined, capabilities: SmtpCapabilities): string[] {
  if (!capabilities.dsn || dsn === undefined) return []
  const parameters: string[] = []
  if (dsn.notify === 'never') parameters.push('NOTIFY=NEVER')
  else if (dsn.notify !== undefined && dsn.notify.length > 0) {
    const words = [...new Set(dsn.notify.map((word) => word.toUpperCase()))]
    if (words.some((word) => !['SUCCESS', 'FAILURE', 'DELAY'].includes(word))) {
      throw new InvalidArgumentError(`dsn.notify: ${JSON.stringify(dsn.notify)} (allowed: success, failure, delay, or 'never')`)
    }
    parameters.push(`NOTIFY=${words.join(',')}`)
  }
  if (dsn.orcpt === true) parameters.push(`ORCPT=rfc822;${encodeXtext(address)}`)
  return parameters
}

function bodyParameter(envelope: SmtpEnvelope, capabilities: SmtpCapabilities): string | undefined {
  const body = envelope.body
  if (body === 'BINARYMIME') {
    if (!capabilities.binaryMime || !capabilities.chunking) {
      throw new InvalidArgumentError('body BINARYMIME: the server does not offer BINARYMIME with CHUNKING')
    }
    return 'BODY=BINARYMIME'
  }
  if (!capabilities.eightBitMime) return undefined
  return body === '7BIT' ? 'BODY=7BIT' : 'BODY=8BITMIME'
}

function wantsSmtpUtf8(envelope: SmtpEnvelope): boolean {
  if (envelope.smtpUtf8 === true || needsSmtpUtf8(envelope.from)) return true
  for (const address of envelope.to) if (needsSmtpUtf8(address)) return true
  return false
}

function dsnMailParameters(dsn: DsnOptions): string[] {
  const parameters: string[] = []
  if (dsn.ret !== undefined) {
    if (dsn.ret !== 'full' && dsn.ret !== 'headers') throw new InvalidArgumentError(`dsn.ret: ${JSON.stringify(dsn.ret)} (allowed: full, headers)`)
    parameters.push(dsn.ret === 'full' ? 'RET=FULL' : 'RET=HDRS')
  }
  if (dsn.envelopeId !== undefined) {
    if (dsn.envelopeId === '' || dsn.envelopeId.length > 100) throw new InvalidArgumentError('dsn.envelopeId must be 1 to 100 characters (RFC 3461 section 4.4)')
    parameters.push(`ENVID=${encodeXtext(dsn.envelopeId)}`)
  }
  return parameters
}
