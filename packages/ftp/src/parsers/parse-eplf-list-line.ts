import type { FileInfo } from './file-info.ts'

/**
 * parseEplfListLine: one line of an EPLF listing (D. J. Bernstein's Easily Parsed LIST Format, publicfile):
 * `+` then comma-separated facts, a TAB, the name; `undefined` when the line is not one.
 *
 * ```
 * +i8388621.29609,m824255902,/,\tdev            (a directory: the "/" fact)
 * +i8388621.44468,m839956783,r,s10376,\tRFCEPLF (a file that may be retrieved: "r", 10376 bytes)
 * ```
 * Facts: `/` directory, `r` retrievable file, `s` size, `m` modification time (Unix seconds, UTC), `i` unique id.
 */
export function parseEplfListLine(line: string): FileInfo | undefined {
  if (!line.startsWith('+')) return undefined
  const tab = line.indexOf('\t')
  if (tab === -1 || tab === line.length - 1) return undefined
  const entry: FileInfo = { name: line.slice(tab + 1), type: 'unknown', raw: line }
  for (const fact of line.slice(1, tab).split(',')) {
    const value = fact.slice(1)
    if (fact === '/') entry.type = 'directory'
    else if (fact === 'r') entry.type = entry.type === 'directory' ? 'directory' : 'file'
    else if (fact.startsWith('s') && /^\d{1,16}$/.test(value)) entry.size = Number(value)
    else if (fact.startsWith('m') && /^\d{1,12}$/.test(value)) entry.modifiedAt = new Date(Number(value) * 1000)
    else if (fact.startsWith('i') && value !== '') entry.unique = value
  }
  return entry
}
