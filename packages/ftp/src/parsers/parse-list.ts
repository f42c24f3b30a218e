import { ProtocolError } from '@netc/transport'
import type { FileInfo } from './file-info.ts'
import { parseDosListLine } from './parse-dos-list-line.ts'
import { parseEplfListLine } from './parse-eplf-list-line.ts'
import { isSelfOrParent, parseMlsxLine } from './parse-mlsx-line.ts'
import { parseUnixListLine } from './parse-unix-list-line.ts'

/** Options of the listing parsers. */
export interface ParseListOptions {
  /** The date that year-less Unix dates are read against (default: now). */
  now?: Date
  /** Keep the `.` and `..` (cdir/pdir) entries; default false. */
  includeSelfAndParent?: boolean
}

/**
 * parseListLine: one LIST line by the first parser that understands it (Unix, DOS/IIS, EPLF); an entry of
 * type `unknown` with the raw line as its name otherwise (an odd server is not an error). `undefined` for
 * lines that are no entry: blank lines and `total N`.
 */
export function parseListLine(line: string, options: ParseListOptions = {}): FileInfo | undefined {
  if (line.trim() === '' || /^total\s+\d+/i.test(line)) return undefined
  return parseUnixListLine(line, options.now) ?? parseDosListLine(line) ?? parseEplfListLine(line) ?? { name: line, type: 'unknown', raw: line }
}

/**
 * parseList: a whole LIST body (CRLF or LF lines) into entries, without `.` and `..`.
 *
 * ```
 * -rw-r--r--    1 0        0               6 Mar 04  2019 hello.txt
 * drwxr-xr-x    2 0        0            4096 Nov 29 21:11 sub dir
 * → [{ name: 'hello.txt', type: 'file', size: 6, ... }, { name: 'sub dir', type: 'directory', ... }]
 * ```
 * Never throws.
 */
export function parseList(text: string, options: ParseListOptions = {}): FileInfo[] {
  const entries: FileInfo[] = []
  for (const line of splitLines(text)) {
    const entry = parseListLine(line, options)
    if (entry !== undefined && (options.includeSelfAndParent === true || !isSelfOrParent(entry))) entries.push(entry)
  }
  return entries
}

/**
 * parseMlsd: a whole MLSD body (RFC 3659 section 7.2) into entries, without `cdir`/`pdir`. Throws
 * `ProtocolError` on a malformed line: MLSD is machine-readable by definition.
 */
export function parseMlsd(text: string, options: ParseListOptions = {}): FileInfo[] {
  const entries: FileInfo[] = []
  for (const line of splitLines(text)) {
    if (line === '') continue
    const entry = parseMlsxLine(line)
    if (options.includeSelfAndParent === true || !isSelfOrParent(entry)) entries.push(entry)
  }
  return entries
}

function splitLines(text: string): string[] {
  if (typeof text !== 'string') throw new ProtocolError('listing is not text')
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
}
