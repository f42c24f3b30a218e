import { ProtocolError } from '../errors/index.ts'

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * decodeBase64Strict: canonical padded base64 (RFC 4648 section 4) decoded, or a `ProtocolError` naming
 * `what`. Unlike `Buffer.from(text, 'base64')` it refuses stray characters, missing padding and
 * whitespace instead of skipping them.
 */
export function decodeBase64Strict(text: string, what: string): Buffer {
  if (!BASE64.test(text)) throw new ProtocolError(`${what} is not valid base64`)
  return Buffer.from(text, 'base64')
}

/**
 * decodeSaslChallenge: the bytes of a server challenge as it arrives on the wire, the text after
 * `334 ` (SMTP, RFC 4954 section 4), `+ ` (POP3, RFC 5034 section 4) or `383 ` (NNTP, RFC 4643
 * section 2.4). Surrounding spaces are ignored; an empty text or a lone `=` is an empty challenge.
 *
 * `decodeSaslChallenge('VXNlcm5hbWU6')` is `Buffer.from('Username:')`; `'V*'` throws `ProtocolError`.
 */
export function decodeSaslChallenge(text: string): Buffer {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed === '=') return Buffer.alloc(0)
  return decodeBase64Strict(trimmed, 'SASL challenge')
}

/**
 * encodeSaslResponse: a response as the base64 line that answers a challenge; an empty response is an
 * empty line (RFC 4954 section 4). The line carries a secret: redact it in every log and error.
 */
export function encodeSaslResponse(response: Buffer): string {
  return response.toString('base64')
}

/**
 * encodeSaslInitialResponse: an initial response as the argument after `AUTH <mechanism>`; an empty one
 * is a lone `=` (RFC 4954 section 4, RFC 5034 section 4, RFC 4643 section 2.4), so `AUTH EXTERNAL =`
 * differs from `AUTH EXTERNAL`. The argument carries a secret: redact it in every log and error.
 */
export function encodeSaslInitialResponse(response: Buffer): string {
  return response.length === 0 ? '=' : response.toString('base64')
}
