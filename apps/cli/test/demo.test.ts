// netc demo: the four scenarios against the embedded servers, and --serve until a signal.
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { netcPath, runCli } from './run-cli.ts'

describe('netc demo', () => {
  it('runs the four scenarios with the dialogue shown and exits 0', async () => {
    const run = await runCli(['demo'], { timeoutMs: 20_000 })
    expect(run.code, run.stderr).toBe(0)
    for (const title of ['== FTP', '== SMTP', '== POP3', '== NNTP']) expect(run.stdout).toContain(title)
    for (const line of ['C: USER anonymous', 'C: RETR dave.txt', 'C: MAIL FROM:<dave@example.com>', 'C: STAT', 'C: DELE 1', 'C: GROUP comp.lang.python', 'C: POST']) {
      expect(run.stdout).toContain(line)
    }
    expect(run.stdout).toContain('downloaded dave.txt')
    expect(run.stdout).toContain('| Hello from netc.')
    expect(run.stdout).toContain('after QUIT the maildrop holds 2 messages')
    expect(run.stdout).toMatch(/posted: 240 /)
    expect(run.stdout).toMatch(/-- the four scenarios ran in \d+ ms/)
  })

  it('--serve prints the four URLs, serves them, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [netcPath, 'demo', '--serve'], { env: { ...process.env, NO_COLOR: '1' } })
    let output = ''
    const urls = await new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URLs within 15 s: ${output}`)), 15_000)
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        const found = output.match(/(ftp|smtp|pop3|nntp):\/\/\S+/g) ?? []
        if (new Set(found.map((url) => url.split(':')[0])).size === 4) {
          clearTimeout(timer)
          resolve(found)
        }
      })
    })
    const ftp = urls.find((url) => url.startsWith('ftp:'))!
    const listing = await runCli(['ftp', 'ls', `${ftp}/dave`])
    expect(listing.stdout).toContain('dave.txt')
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  })
})
