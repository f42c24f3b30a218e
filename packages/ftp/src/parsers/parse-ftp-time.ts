import { ProtocolError } from '@netc/transport'

const TIME_VAL = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3})\d*)?$/

/**
 * parseFtpTime: an RFC 3659 `time-val` (MDTM replies, the MLSD `modify` fact), always UTC.
 *
 * ```
 * S: 213 20190304050600      → 2019-03-04T05:06:00.000Z
 * modify=20190304050600.123  → 2019-03-04T05:06:00.123Z
 * ```
 * RFC 3659 section 2.3. Throws `ProtocolError` for anything else.
 */
export function parseFtpTime(text: string): Date {
  const match = TIME_VAL.exec(text.trim())
  if (match === null) throw new ProtocolError(`malformed FTP time: ${JSON.stringify(text.slice(0, 40))}`)
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const millis = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0'))
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw new ProtocolError(`FTP time out of range: ${JSON.stringify(text)}`)
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis))
}
