/**
 * makeMailText: `size` bytes of typical mail text: CRLF lines of 50 to 90 characters, about 2% of them
 * starting with `.` (the lines dot-stuffing touches), the last one complete. Deterministic: the same bytes on every run.
 */
export function makeMailText(size: number): Buffer {
  const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet,', 'consectetur', 'adipiscing', 'elit.', 'Sed', 'do',
    'eiusmod', 'tempor', 'incididunt', 'ut', 'labore', 'et', 'dolore', 'magna', 'aliqua.', 'Ut', 'enim', 'ad']
  let seed = 1
  const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
  const lines: string[] = []
  let length = 0
  while (length < 1024 * 1024) {
    let line = random() < 0.02 ? '.' : ''
    const target = 50 + Math.floor(random() * 40)
    while (line.length < target) line += `${words[Math.floor(random() * words.length)]} `
    line = `${line.trimEnd()}\r\n`
    lines.push(line)
    length += line.length
  }
  const unit = Buffer.from(lines.join(''), 'latin1')
  const text = Buffer.allocUnsafe(size)
  for (let offset = 0; offset < size; offset += unit.length) unit.copy(text, offset, 0, Math.min(unit.length, size - offset))
  if (size >= 2) text.write('\r\n', size - 2, 'latin1')
  return text
}

/** chunk: `data` cut into `chunkSize` pieces (subarrays, no copies), as a socket would deliver it. */
export function chunk(data: Buffer, chunkSize: number): Buffer[] {
  const pieces: Buffer[] = []
  for (let offset = 0; offset < data.length; offset += chunkSize) pieces.push(data.subarray(offset, offset + chunkSize))
  return pieces
}

/**
 * copyChunks: the floor of the codec and reply benchmarks: each chunk copied into a fresh Buffer, as a
 * socket read hands over new memory. Returns the bytes copied; `keep` receives a byte of each copy so that
 * no copy is optimised away.
 */
export function copyChunks(chunks: readonly Buffer[], keep: (byte: number) => void): number {
  let total = 0
  for (const piece of chunks) {
    const copy = Buffer.allocUnsafe(piece.length)
    piece.copy(copy)
    keep(copy[0] ?? 0)
    total += copy.length
  }
  return total
}
