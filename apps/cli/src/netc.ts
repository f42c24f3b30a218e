#!/usr/bin/env node
import { runTransportDemo } from './demo/transport-demo.ts'

const usage = `netc: network protocol clients (FTP, SMTP, POP3, NNTP) for Node.js

Usage:
  netc demo      run the demo against embedded servers, with the dialogue shown
  netc --help    this text
`

async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(usage)
    return command === undefined ? 2 : 0
  }
  if (command === 'demo') {
    const started = Date.now()
    const deliveries = await runTransportDemo((line) => process.stdout.write(`${line}\n`))
    const message = deliveries[0]?.message.toString('utf8') ?? ''
    process.stdout.write(`-- delivered whole, smuggling attempt included (${message.length} bytes):\n${message}`)
    process.stdout.write(`-- done in ${Date.now() - started} ms\n`)
    return 0
  }
  process.stderr.write(`netc: unknown command "${command}"\n${usage}`)
  return 2
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`netc: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
