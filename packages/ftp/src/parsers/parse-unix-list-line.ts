import type { FileInfo, FileType } from './file-info.ts'

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/*
 * type+permissions, links, owner, [group], size (or "major, minor" for devices), month day (year|time), name.
 * The name is everything after the single space that follows the date (spaces in names kept).
 */
const UNIX_LINE =
  /^([bcdlps-])([rwxsStTl-]{9})[.+@]?\s+(\d+)\s+(\S+)\s+(?:(\S+)\s+)?(\d+|\d+,\s*\d+)\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{4}|\d{1,2}:\d{2}) (.+)$/

/**
 * parseUnixListLine: one line of a Unix-style LIST (`ls -l`), as vsftpd, ProFTPD, pure-ftpd and most
 * servers send it; `undefined` when the line is not one.
 *
 * ```
 * -rw-r--r--    1 0        0               6 Mar 04  2019 hello.txt        (vsftpd)
 * lrwxrwxrwx    1 root     root            9 Nov 29 21:11 link -> hello.txt  (pure-ftpd)
 * crw-rw-rw-   1 root     root       1,   3 Apr  2  2022 null             (a device: no size)
 * -rw-r--r--   1 owner         2048 Oct 17 14:02 no-group.txt             (no group column)
 * ```
 * A date without a year is in the last twelve months before `now` (what `ls` prints); the time is the
 * server's local time, read as UTC.
 */
export function parseUnixListLine(line: string, now: Date = new Date()): FileInfo | undefined {
  const match = UNIX_LINE.exec(line)
  if (match === null) return undefined
  const [, typeLetter, permissions, , owner, group, sizeText, month, day, yearOrTime, rest] = match as unknown as string[]
  const type = typeOfLetter(typeLetter as string)
  const entry: FileInfo = { name: rest as string, type, permissions: permissions, mode: modeOf(permissions as string), owner: owner, raw: line }
  if (group !== undefined) entry.group = group
  if (type !== 'device') entry.size = Number(sizeText)
  const date = dateOf(month as string, Number(day), yearOrTime as string, now)
  if (date !== undefined) entry.modifiedAt = date
  if (type === 'symlink') {
    const arrow = entry.name.indexOf(' -> ')
    if (arrow !== -1) {
      entry.target = entry.name.slice(arrow + 4)
      entry.name = entry.name.slice(0, arrow)
    }
  }
  return entry
}

function typeOfLetter(letter: string): FileType {
  if (letter === 'd') return 'directory'
  if (letter === 'l') return 'symlink'
  if (letter === 'b' || letter === 'c') return 'device'
  if (letter === '-') return 'file'
  return 'unknown'
}

/** `rwxr-sr-t` → 0o3755 (setuid/setgid/sticky from s, S, t, T). */
function modeOf(permissions: string): number {
  let mode = 0
  for (let i = 0; i < 9; i++) {
    const c = permissions[i] as string
    if (c !== '-' && c !== 'S' && c !== 'T' && c !== 'l') mode |= 1 << (8 - i)
  }
  if ('sS'.includes(permissions[2] as string)) mode |= 0o4000
  if ('sSl'.includes(permissions[5] as string)) mode |= 0o2000
  if ('tT'.includes(permissions[8] as string)) mode |= 0o1000
  return mode
}

function dateOf(monthName: string, day: number, yearOrTime: string, now: Date): Date | undefined {
  const month = MONTHS.indexOf(monthName.toLowerCase())
  if (month === -1 || day < 1 || day > 31) return undefined
  if (!yearOrTime.includes(':')) return new Date(Date.UTC(Number(yearOrTime), month, day))
  const [hours, minutes] = yearOrTime.split(':').map(Number) as [number, number]
  if (hours > 23 || minutes > 59) return undefined
  let year = now.getUTCFullYear()
  let date = new Date(Date.UTC(year, month, day, hours, minutes))
  // ls prints a time (no year) for the last six months; a date ahead of now (beyond a day of clock skew) is last year's.
  if (date.getTime() > now.getTime() + 24 * 3600 * 1000) {
    year -= 1
    date = new Date(Date.UTC(year, month, day, hours, minutes))
  }
  return date
}
