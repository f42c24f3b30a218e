// netc --help: every command has its help, with an example; usage mistakes exit 2, never with a stack trace.
import { describe, expect, it } from 'vitest'
import { runCli } from './run-cli.ts'

describe('netc --help', () => {
  it('lists the protocols and the exit codes', async () => {
    const run = await runCli(['--help'])
    expect(run.code).toBe(0)
    for (const name of ['demo', 'ftp', 'smtp', 'pop3', 'nntp']) expect(run.stdout).toMatch(new RegExp(`^ {2}${name}\\b`, 'm'))
    expect(run.stdout).toContain('5 timeout')
  })

  const commands = ['smtp send', 'pop3 ls', 'pop3 get', 'pop3 rm', 'nntp groups', 'nntp ls', 'nntp get', 'nntp post', 'demo']
  it.each(commands)('%s --help shows an example', async (command) => {
    const run = await runCli([...command.split(' '), '--help'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Example:\n {2}(echo .* \| )?netc /)
  })

  it('an unknown command or option exits 2', async () => {
    for (const args of [['frobnicate'], ['pop3', 'ls', 'pop3://u@h', '--frob'], []]) {
      const run = await runCli(args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr).not.toMatch(/\n\s+at /)
    }
  })
})
