import { createRequire } from 'node:module'
import type libmimeModule from 'libmime'

type Libmime = typeof libmimeModule

let libmime: Libmime | undefined

/**
 * loadLibmime: libmime, required on first use. Importing it pulls iconv-lite's character-set tables
 * (about 17 MiB and a few hundred ms), which a client that never meets an encoded word should not pay
 * for. Both builds give libmime's CommonJS build (the CJS build gets `import.meta.url` from tsup's
 * shims, see tsup.config.ts).
 */
function loadLibmime(): Libmime {
  if (libmime === undefined) {
    const loaded = createRequire(import.meta.url)('libmime') as Libmime & { default?: Libmime }
    libmime = loaded.default ?? loaded
  }
  return libmime
}

/**
 * decodeHeader: a header value with its RFC 2047 encoded words decoded (through libmime, loaded the
 * first time a value holds `=?`), as nntplib's `decode_header` did. A value with no encoded words, or
 * with one that cannot be decoded, comes back as it was.
 *
 * ```
 * decodeHeader('=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.org>')  // 'Jörg Müller <joerg@example.org>'
 * ```
 * RFC 2047 section 6.
 */
export function decodeHeader(value: string): string {
  if (!value.includes('=?')) return value
  try {
    return loadLibmime().decodeWords(value)
  } catch {
    return value
  }
}
