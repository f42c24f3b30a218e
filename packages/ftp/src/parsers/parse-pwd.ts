import { ProtocolError } from '@netc/transport'

/**
 * parsePwd: the directory in a 257 reply (PWD, MKD): the text between the first quote and its closing
 * quote, with a doubled quote standing for one (RFC 959 appendix II).
 *
 * ```
 * 257 "/" is the current directory           → '/'
 * 257 "/pub/say ""hi""" created               → '/pub/say "hi"'
 * ```
 * Throws `ProtocolError` when there is no quoted name.
 */
export function parsePwd(text: string): string {
  const start = text.indexOf('"')
  if (start === -1) throw new ProtocolError(`no quoted directory in reply: ${JSON.stringify(text.slice(0, 80))}`)
  let name = ''
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string
    if (c !== '"') {
      name += c
      continue
    }
    if (text[i + 1] === '"') {
      name += '"'
      i++
      continue
    }
    return name
  }
  throw new ProtocolError(`unterminated directory name in reply: ${JSON.stringify(text.slice(0, 80))}`)
}
