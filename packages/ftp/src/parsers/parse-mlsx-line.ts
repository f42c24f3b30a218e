import { ProtocolError } from '@netc/transport'
import type { FileInfo, FileType } from './file-info.ts'
import { parseFtpTime } from './parse-ftp-time.ts'

/**
 * parseMlsxLine: one MLSD line, or the entry line of an MLST reply (RFC 3659 section 7.2): facts
 * `name=value;` then one space, then the name (spaces kept, as pure-ftpd sends them).
 *
 * ```
 * type=file;size=6;modify=20190304050600;UNIX.mode=0644;unique=fe00g20c351; hello.txt
 * type=OS.unix=slink:;size=9;modify=20261129211159; link        (pure-ftpd: a symlink)
 * type=cdir;sizd=4096; .                                        (the directory itself: type 'directory')
 * ```
 * Fact names are case-insensitive (kept in lower case in `facts`). `type` maps to `file`, `directory`
 * (dir, cdir, pdir), `symlink` (OS.unix=slink / symlink) or `unknown`. Throws `ProtocolError` when there
 * is no space before the name, a fact has no `=`, or a size or time is malformed.
 */
export function parseMlsxLine(line: string): FileInfo {
  const space = line.indexOf(' ')
  if (space === -1) throw new ProtocolError(`malformed MLSD line (no space before the name): ${JSON.stringify(line.slice(0, 80))}`)
  const name = line.slice(space + 1)
  if (name === '') throw new ProtocolError('malformed MLSD line: empty name')
  const facts: Record<string, string> = {}
  for (const fact of line.slice(0, space).split(';')) {
    if (fact === '') continue
    const equals = fact.indexOf('=')
    if (equals <= 0) throw new ProtocolError(`malformed MLSD fact: ${JSON.stringify(fact.slice(0, 40))}`)
    facts[fact.slice(0, equals).toLowerCase()] = fact.slice(equals + 1)
  }
  const entry: FileInfo = { name, type: typeOf(facts['type']), facts, raw: line }
  addDetails(entry, facts)
  return entry
}

function typeOf(type: string | undefined): FileType {
  const value = (type ?? '').toLowerCase()
  if (value === 'file') return 'file'
  if (value === 'dir' || value === 'cdir' || value === 'pdir') return 'directory'
  if (value.startsWith('os.unix=slink') || value.startsWith('os.unix=symlink')) return 'symlink'
  if (value.startsWith('os.unix=chr') || value.startsWith('os.unix=blk')) return 'device'
  return 'unknown'
}

function addDetails(entry: FileInfo, facts: Record<string, string>): void {
  const size = facts['size'] ?? facts['sizd']
  if (size !== undefined) entry.size = parseSize(size)
  if (facts['modify'] !== undefined) entry.modifiedAt = parseFtpTime(facts['modify'])
  const mode = facts['unix.mode']
  if (mode !== undefined) {
    if (!/^[0-7]{1,6}$/.test(mode)) throw new ProtocolError(`malformed UNIX.mode fact: ${JSON.stringify(mode)}`)
    entry.mode = parseInt(mode, 8)
  }
  const owner = facts['unix.owner'] ?? facts['unix.uid']
  if (owner !== undefined) entry.owner = owner
  const group = facts['unix.group'] ?? facts['unix.gid']
  if (group !== undefined) entry.group = group
  if (facts['unique'] !== undefined) entry.unique = facts['unique']
  const type = facts['type'] ?? ''
  const colon = type.indexOf(':')
  if (entry.type === 'symlink' && colon !== -1 && colon < type.length - 1) entry.target = type.slice(colon + 1)
}

function parseSize(text: string): number {
  if (!/^\d{1,16}$/.test(text)) throw new ProtocolError(`malformed size fact: ${JSON.stringify(text.slice(0, 40))}`)
  return Number(text)
}

/** isSelfOrParent: the `cdir`/`pdir` entries (and `.`/`..`) that listings leave out. */
export function isSelfOrParent(entry: FileInfo): boolean {
  const type = entry.facts?.['type']?.toLowerCase()
  return type === 'cdir' || type === 'pdir' || entry.name === '.' || entry.name === '..'
}
