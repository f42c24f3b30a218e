import { InvalidArgumentError } from '../errors/index.ts'

// RFC 3454 table B.1, "commonly mapped to nothing".
// eslint-disable-next-line no-misleading-character-class -- single code points (combining marks among them), not graphemes
const MAPPED_TO_NOTHING = /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/gu
// RFC 3454 table C.1.2, non-ASCII space characters (U+200B is in B.1 and is removed first).
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/gu
// RFC 3454 tables C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8 and C.9 (RFC 4013 section 2.3).
const PROHIBITED = new RegExp(
  [
    '[\\u0000-\\u001f\\u007f-\\u009f]', // C.2.1, C.2.2 (ASCII and C1 controls)
    '[\\u06dd\\u070f\\u180e\\u200c-\\u200f\\u2028-\\u202e\\u2060-\\u2063\\u206a-\\u206f\\ufeff]', // C.2.2, C.8
    '[\\u{1d173}-\\u{1d17a}]', // C.2.2 (musical symbol controls)
    '[\\ue000-\\uf8ff\\u{f0000}-\\u{ffffd}\\u{100000}-\\u{10fffd}]', // C.3 private use
    '[\\ufdd0-\\ufdef\\ufff9-\\uffff]', // C.4, C.6 (and U+FFFE, U+FFFF)
    '[\\u{1fffe}\\u{1ffff}\\u{2fffe}\\u{2ffff}\\u{3fffe}\\u{3ffff}\\u{4fffe}\\u{4ffff}\\u{5fffe}\\u{5ffff}]', // C.4
    '[\\u{6fffe}\\u{6ffff}\\u{7fffe}\\u{7ffff}\\u{8fffe}\\u{8ffff}\\u{9fffe}\\u{9ffff}\\u{afffe}\\u{affff}]', // C.4
    '[\\u{bfffe}\\u{bffff}\\u{cfffe}\\u{cffff}\\u{dfffe}\\u{dffff}\\u{efffe}\\u{effff}\\u{ffffe}\\u{fffff}]', // C.4
    '[\\u{10fffe}\\u{10ffff}]', // C.4
    '[\\ud800-\\udfff]', // C.5 (a lone surrogate in a JavaScript string)
    '[\\u0340\\u0341\\u2ff0-\\u2ffb]', // C.7, C.8
    '[\\u{e0001}\\u{e0020}-\\u{e007f}]', // C.9 tagging characters
  ].join('|'),
  'u',
)

/**
 * saslPrep: a string prepared with the SASLprep profile of stringprep (RFC 4013 section 2), as SCRAM's
 * `Normalize()` asks (RFC 5802 section 2.2), treating it as a query (unassigned code points pass).
 *
 * `"I\u00ADX"` (a soft hyphen) becomes `"IX"`, `"\u2168"` (ROMAN NUMERAL NINE) becomes `"IX"`, a no-break space
 * becomes a space; `"\u0007"` throws `InvalidArgumentError`.
 *
 * Done: the mapping (2.1: non-ASCII spaces to SPACE, "mapped to nothing" removed), NFKC (2.2), the
 * prohibited output (2.3). Not done: the bidirectional check (2.4, RFC 3454 section 6), which needs the
 * Unicode bidi classes that JavaScript's regular expressions do not expose; a right-to-left password is
 * therefore prepared, not refused. The error message never contains the input (it is a password).
 */
export function saslPrep(input: string, what = 'string'): string {
  const mapped = input.replace(MAPPED_TO_NOTHING, '').replace(NON_ASCII_SPACE, ' ')
  const normalized = mapped.normalize('NFKC')
  if (PROHIBITED.test(normalized)) {
    throw new InvalidArgumentError(`SASLprep: the ${what} contains a prohibited character (RFC 4013 section 2.3)`)
  }
  return normalized
}
