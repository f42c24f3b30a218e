import type { MemoryEntry } from './memory-file-system.ts'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const pad = (value: number, width = 2): string => String(value).padStart(width, '0')

/** formatTimeVal: an RFC 3659 time-val, `20190304050600`. */
export function formatTimeVal(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
}

function modifiedOf(entry: MemoryEntry): Date {
  return entry.type === 'file' ? entry.file.modified : entry.modified
}

/** formatUnixLine: a LIST line as vsftpd writes it: `-rw-r--r--    1 ftp      ftp             6 Mar 04  2019 hello.txt`. */
export function formatUnixLine(entry: MemoryEntry, now = new Date()): string {
  const modified = modifiedOf(entry)
  const recent = now.getTime() - modified.getTime() < 180 * 24 * 3600 * 1000
  const when = recent ? `${pad(modified.getUTCHours())}:${pad(modified.getUTCMinutes())}` : ` ${modified.getUTCFullYear()}`
  const mode = entry.type === 'file' ? '-rw-r--r--' : 'drwxr-xr-x'
  const size = entry.type === 'file' ? entry.file.data.length : 4096
  return `${mode}    1 ftp      ftp      ${String(size).padStart(8)} ${MONTHS[modified.getUTCMonth()]} ${pad(modified.getUTCDate())} ${when.padStart(5)} ${entry.name}`
}

/** formatFacts: MLSD/MLST facts (RFC 3659 section 7): `type=file;size=6;modify=20190304050600;perm=adfrw; hello.txt`. */
export function formatFacts(entry: MemoryEntry, name = entry.name, type?: 'cdir'): string {
  const modify = formatTimeVal(modifiedOf(entry))
  if (entry.type === 'file') return `type=file;size=${entry.file.data.length};modify=${modify};perm=adfrw;UNIX.mode=0644; ${name}`
  return `type=${type ?? 'dir'};sizd=4096;modify=${modify};perm=flcdmpe;UNIX.mode=0755; ${name}`
}
