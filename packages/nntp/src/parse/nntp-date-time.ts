import { InvalidArgumentError, ProtocolError } from '@netc/transport'

const pad = (value: number, width = 2): string => String(value).padStart(width, '0')

/**
 * formatNntpDateTime: the `date time GMT` arguments of NEWGROUPS and NEWNEWS (RFC 3977 section 7.3.2),
 * always in UTC with a four-digit year.
 *
 * ```
 * formatNntpDateTime(new Date('2026-11-29T21:09:53Z'))  // ['20261129', '210953', 'GMT']
 * ```
 * Throws InvalidArgumentError for an invalid Date or a year outside 0..9999.
 */
export function formatNntpDateTime(date: Date): [string, string, 'GMT'] {
  const time = date.getTime()
  if (Number.isNaN(time)) throw new InvalidArgumentError('invalid date')
  const year = date.getUTCFullYear()
  if (year < 0 || year > 9999) throw new InvalidArgumentError(`year out of range: ${year}`)
  return [
    `${pad(year, 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`,
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`,
    'GMT',
  ]
}

/**
 * parseDateReply: the server's clock from the text of a `111` reply to DATE (RFC 3977 section 7.1):
 * `yyyymmddhhmmss`, UTC.
 *
 * ```
 * S: 111 20261129210953   → new Date('2026-11-29T21:09:53Z')
 * ```
 * Throws ProtocolError for anything else (a month 13 included).
 */
export function parseDateReply(text: string): Date {
  const match = /^\s*(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\s|$)/.exec(text)
  if (match === null) throw new ProtocolError(`malformed DATE reply: ${JSON.stringify(text.slice(0, 80))}`)
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number) as [number, number, number, number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds))
  date.setUTCFullYear(year)
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hours > 23 || minutes > 59 || seconds > 59) {
    throw new ProtocolError(`invalid date in DATE reply: ${match[0].trim()}`)
  }
  return date
}
