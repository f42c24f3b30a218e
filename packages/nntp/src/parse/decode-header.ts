import libmime from 'libmime'

/**
 * decodeHeader: a header value with its RFC 2047 encoded words decoded (through libmime), as nntplib's
 * `decode_header` did. A value with no encoded words, or with one that cannot be decoded, comes back as
 * it was.
 *
 * ```
 * decodeHeader('=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.org>')  // 'Jörg Müller <joerg@example.org>'
 * ```
 * RFC 2047 section 6.
 */
export function decodeHeader(value: string): string {
  if (!value.includes('=?')) return value
  try {
    return libmime.decodeWords(value)
  } catch {
    return value
  }
}
