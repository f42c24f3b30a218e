/**
 * StdinText: standard input read once and shared: `--password-stdin` takes the first line, a command
 * that reads a body (`smtp send`, `nntp post`) takes the rest.
 *
 * ```
 * printf 'secret\nHello.\n' | netc smtp send smtp://dave@mail.example.com --password-stdin --from a@x --to b@y
 * ```
 */
export class StdinText {
  #buffer: Promise<Buffer> | undefined
  #passwordTaken = false
  readonly #input: NodeJS.ReadableStream

  constructor(input: NodeJS.ReadableStream = process.stdin) {
    this.#input = input
  }

  /** password: the first line of stdin, without its line ending. */
  async password(): Promise<string> {
    const all = await this.#all()
    this.#passwordTaken = true
    const end = all.indexOf(0x0a)
    return all.subarray(0, end === -1 ? all.length : end).toString('utf8').replace(/\r$/, '')
  }

  /** body: stdin after the password line (when one was taken). */
  async body(): Promise<Buffer> {
    const all = await this.#all()
    if (!this.#passwordTaken) return all
    const end = all.indexOf(0x0a)
    return end === -1 ? Buffer.alloc(0) : all.subarray(end + 1)
  }

  #all(): Promise<Buffer> {
    this.#buffer ??= (async () => {
      const chunks: Buffer[] = []
      for await (const chunk of this.#input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
      return Buffer.concat(chunks)
    })()
    return this.#buffer
  }
}
