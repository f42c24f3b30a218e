import { readFileSync } from 'node:fs'

/** A captured server answer: the status line and the lines of the block after it (unstuffed, no terminator). */
export interface Fixture {
  status: string
  lines: string[]
  /** The bytes of the block, unstuffed, CRLF kept (what readDotBody yields). */
  body: Buffer
}

/** loadFixture: reads `inn-2.7.1/<name>` (raw bytes as captured from the server) and splits it. */
export function loadFixture(name: string): Fixture {
  const text = readFileSync(new URL(`./inn-2.7.1/${name}`, import.meta.url), 'utf8')
  const [status = '', ...rest] = text.split('\r\n')
  const lines: string[] = []
  for (const line of rest) {
    if (line === '.') break
    lines.push(line.startsWith('.') ? line.slice(1) : line)
  }
  return { status, lines, body: Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'utf8') }
}
