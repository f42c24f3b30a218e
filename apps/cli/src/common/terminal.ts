/**
 * useColour: colours only when the stream is a terminal and NO_COLOR is unset (no-color.org).
 *
 * ```
 * NO_COLOR=1 netc ftp ls ftp://ftp.example.com    // plain text, even on a terminal
 * ```
 */
export function useColour(stream: NodeJS.WriteStream): boolean {
  const noColour = process.env['NO_COLOR']
  return stream.isTTY && (noColour === undefined || noColour === '')
}

const codes = { red: 31, yellow: 33, blue: 34, dim: 2, bold: 1 } as const

/** paint: `text` in an ANSI colour when `useColour(stream)`, as it is otherwise. */
export function paint(stream: NodeJS.WriteStream, colour: keyof typeof codes, text: string): string {
  return useColour(stream) ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text
}

/** warn: one `netc: warning: ...` line on stderr. */
export function warn(message: string): void {
  process.stderr.write(`${paint(process.stderr, 'yellow', 'netc: warning:')} ${message}\n`)
}

/** fail: the one line a failed command prints on stderr: `netc: cannot cd to "dave": 550 ...`. */
export function fail(message: string): void {
  process.stderr.write(`${paint(process.stderr, 'red', 'netc:')} ${message}\n`)
}
