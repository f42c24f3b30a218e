/**
 * encodeXtext: text in the xtext form of DSN parameters (RFC 3461 section 4): bytes `!` to `~` except
 * `+` and `=` stay, every other byte (of the UTF-8 form) becomes `+` and two upper-case hex digits.
 *
 * ```ts
 * encodeXtext('a+b=c d')   // 'a+2Bb+3Dc+20d'
 * ```
 */
export function encodeXtext(text: string): string {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x21 && byte <= 0x7e && byte !== 0x2b && byte !== 0x3d ? String.fromCharCode(byte) : `+${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** decodeXtext: the inverse of `encodeXtext` (for fake servers); a malformed `+` escape is kept as it is. */
export function decodeXtext(xtext: string): string {
  const bytes: number[] = []
  for (let i = 0; i < xtext.length; i++) {
    const hex = xtext.slice(i + 1, i + 3)
    if (xtext[i] === '+' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      bytes.push(...Buffer.from(xtext[i] ?? '', 'utf8'))
    }
  }
  return Buffer.from(bytes).toString('utf8')
}
