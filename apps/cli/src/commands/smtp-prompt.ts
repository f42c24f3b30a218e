import { createInterface } from 'node:readline'

/** PromptedMail: what the interactive prompt asked for. */
export interface PromptedMail {
  from: string
  to: string[]
  body: string
}

/**
 * promptMail: asks `From: `, `To: ` and the message (ended by ^D) on the terminal, as the example of
 * Python's smtplib documentation does; addresses in `To:` are separated by commas or spaces.
 *
 * ```
 * From: dave@example.com
 * To: anna@example.com, bob@example.com
 * Enter message, end with ^D:
 * ```
 */
export async function promptMail(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<PromptedMail> {
  const lines = createInterface({ input, output, terminal: true })
  const pending: string[] = []
  const waiters: Array<(line: string | undefined) => void> = []
  let closed = false
  lines.on('line', (line) => (waiters.length > 0 ? waiters.shift()?.(line) : pending.push(line)))
  lines.on('close', () => {
    closed = true
    for (const waiter of waiters.splice(0)) waiter(undefined)
  })
  const next = (): Promise<string | undefined> =>
    pending.length > 0 ? Promise.resolve(pending.shift()) : closed ? Promise.resolve(undefined) : new Promise((resolve) => waiters.push(resolve))
  const ask = async (prompt: string): Promise<string> => {
    lines.setPrompt(prompt)
    lines.prompt()
    return (await next())?.trim() ?? ''
  }
  const from = await ask('From: ')
  const to = (await ask('To: ')).split(/[\s,]+/).filter((address) => address !== '')
  output.write('Enter message, end with ^D:\n')
  const body: string[] = []
  for (let line = await next(); line !== undefined; line = await next()) body.push(line)
  lines.close()
  return { from, to, body: body.map((line) => `${line}\n`).join('') }
}
