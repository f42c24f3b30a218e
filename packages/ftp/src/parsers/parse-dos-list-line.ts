import type { FileInfo } from './file-info.ts'

const DOS_LINE = /^(\d{2})-(\d{2})-(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?\s+(<DIR>|[\d,]+)\s+(.+)$/

/**
 * parseDosListLine: one line of a DOS-style LIST, as IIS sends it by default (MM-DD-YY, 12-hour clock);
 * `undefined` when the line is not one.
 *
 * ```
 * 01-02-20  10:15AM       <DIR>          dave
 * 12-24-19  11:59PM            1,048,576 big file.iso
 * 03-15-2021  01:05PM       <DIR>          Four digit year
 * ```
 * Two-digit years below 70 are 20xx (as IIS and basic-ftp read them). The time is the server's, read as UTC.
 */
export function parseDosListLine(line: string): FileInfo | undefined {
  const match = DOS_LINE.exec(line)
  if (match === null) return undefined
  const [, month, day, yearText, hourText, minute, meridiem, sizeOrDir, name] = match as unknown as string[]
  const shortYear = Number(yearText)
  const year = (yearText as string).length === 4 ? shortYear : shortYear < 70 ? 2000 + shortYear : 1900 + shortYear
  let hours = Number(hourText)
  if (meridiem !== undefined) {
    if (hours < 1 || hours > 12) return undefined
    hours = (hours % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0)
  }
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31 || hours > 23 || Number(minute) > 59) return undefined
  const entry: FileInfo = {
    name: name as string,
    type: sizeOrDir === '<DIR>' ? 'directory' : 'file',
    modifiedAt: new Date(Date.UTC(year, Number(month) - 1, Number(day), hours, Number(minute))),
    raw: line,
  }
  if (sizeOrDir !== '<DIR>') entry.size = Number((sizeOrDir as string).replace(/,/g, ''))
  return entry
}
