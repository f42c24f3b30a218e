import { parseScanListing, parseUniqueIdListing } from './parse-listings.ts'

const LF = 0x0a
const CR = 0x0d
const SPACE = 0x20
const TAB = 0x09
const ZERO = 0x30
const NINE = 0x39

/**
 * ScanTable: a whole LIST answer (RFC 1939 section 5) as two columns of numbers, in the order listed.
 * Typed arrays, not one object per message: a 10,000-message listing is two 80 KB arrays outside the
 * JavaScript heap instead of 10,000 objects that outlive several young-generation collections (and make
 * V8 grow its young generation by megabytes for the rest of the process).
 */
export interface ScanTable {
  readonly count: number
  /** The message numbers. */
  readonly numbers: Float64Array
  /** The sizes in octets. */
  readonly sizes: Float64Array
}

/**
 * UniqueIdTable: a whole UIDL answer (RFC 1939 section 7), kept as the bytes received with where each
 * id is; `uidOf(n)` makes the id's string when it is asked for.
 */
export interface UniqueIdTable {
  readonly count: number
  /** The unique id of message `number`, or undefined when the answer did not list it (the last listing wins). */
  uidOf(number: number): string | undefined
}

/**
 * parseScanTable: the unstuffed body of a multi-line LIST answer (`1 1205\r\n2 305\r\n`) as a ScanTable.
 * Each line means what `parseScanListing` makes of it (the same `ProtocolError` for a malformed one);
 * the common `n size` lines are read from the bytes without a string.
 */
export function parseScanTable(body: Buffer): ScanTable {
  const capacity = countLines(body)
  const numbers = new Float64Array(capacity)
  const sizes = new Float64Array(capacity)
  let count = 0
  forEachLine(body, (start, end) => {
    const number = readNumber(body, start, end)
    const gap = number.end < end ? skipBlanks(body, number.end, end) : number.end
    const size = gap > number.end ? readNumber(body, gap, end) : NO_NUMBER
    if (number.value >= 1 && size !== NO_NUMBER && (size.end === end || isBlank(body[size.end]))) {
      numbers[count] = number.value
      sizes[count++] = size.value
      return
    }
    const listing = parseScanListing(body.toString('utf8', start, end))
    numbers[count] = listing.number
    sizes[count++] = listing.size
  })
  return { count, numbers: numbers.subarray(0, count), sizes: sizes.subarray(0, count) }
}

/**
 * parseUniqueIdTable: the unstuffed body of a multi-line UIDL answer (`1 whqtswO00WBw418f9t5JxYwZ\r\n`) as
 * a UniqueIdTable. Each line means what `parseUniqueIdListing` makes of it (the same `ProtocolError` for
 * a malformed one); the common `n id` lines are read from the bytes without a string.
 */
export function parseUniqueIdTable(body: Buffer): UniqueIdTable {
  const capacity = countLines(body)
  const numbers = new Float64Array(capacity)
  const starts = new Uint32Array(capacity)
  const ends = new Uint32Array(capacity)
  let unusual: Map<number, string> | undefined
  let count = 0
  forEachLine(body, (start, end) => {
    const number = readNumber(body, start, end)
    const idStart = number.end < end ? skipBlanks(body, number.end, end) : number.end
    let idEnd = idStart
    while (idEnd < end && (body[idEnd] as number) >= 0x21 && (body[idEnd] as number) <= 0x7e) idEnd++
    if (number.value >= 1 && idStart > number.end && idEnd > idStart && idEnd - idStart <= 70 && skipBlanks(body, idEnd, end) === end) {
      numbers[count] = number.value
      starts[count] = idStart
      ends[count++] = idEnd
      return
    }
    const listing = parseUniqueIdListing(body.toString('utf8', start, end))
    unusual ??= new Map()
    unusual.set(count, listing.uid)
    numbers[count++] = listing.number
  })
  const index = indexByNumber(numbers.subarray(0, count))
  return {
    count,
    uidOf(number: number): string | undefined {
      const at = index(number)
      if (at === undefined) return undefined
      return unusual?.get(at) ?? body.toString('latin1', starts[at], ends[at])
    },
  }
}

const NO_NUMBER = { value: -1, end: -1 }

/** Reads 1 to 15 digits at `start`: the value and where they end, or NO_NUMBER. */
function readNumber(body: Buffer, start: number, end: number): { value: number; end: number } {
  let value = 0
  let at = start
  while (at < end && at - start < 16) {
    const byte = body[at] as number
    if (byte < ZERO || byte > NINE) break
    value = value * 10 + (byte - ZERO)
    at++
  }
  return at === start || at - start > 15 ? NO_NUMBER : { value, end: at }
}

function isBlank(byte: number | undefined): boolean {
  return byte === SPACE || byte === TAB
}

function skipBlanks(body: Buffer, start: number, end: number): number {
  let at = start
  while (at < end && isBlank(body[at])) at++
  return at
}

function countLines(body: Buffer): number {
  let lines = 0
  forEachLine(body, () => lines++)
  return lines
}

/** Calls `line(start, end)` for each line of the body, without its CRLF (or LF); the body may end without one. */
function forEachLine(body: Buffer, line: (start: number, end: number) => void): void {
  let start = 0
  while (start < body.length) {
    const lf = body.indexOf(LF, start)
    const stop = lf === -1 ? body.length : lf
    line(start, stop > start && body[stop - 1] === CR ? stop - 1 : stop)
    start = stop + 1
  }
}

/** The position of each message number in `numbers` (the last one listed wins), by a typed array when the numbers are dense. */
function indexByNumber(numbers: Float64Array): (number: number) => number | undefined {
  let max = 0
  for (const number of numbers) max = Math.max(max, number)
  if (max <= 4 * numbers.length + 1024) {
    const positions = new Int32Array(max + 1).fill(-1)
    numbers.forEach((number, at) => (positions[number] = at))
    return (number) => {
      const at = Number.isInteger(number) && number >= 0 && number <= max ? (positions[number] as number) : -1
      return at === -1 ? undefined : at
    }
  }
  const positions = new Map<number, number>()
  numbers.forEach((number, at) => positions.set(number, at))
  return (number) => positions.get(number)
}
