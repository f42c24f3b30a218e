import { Command as CommanderCommand } from 'commander'
import { paint } from '../common/terminal.ts'
import { ftpScenario, nntpScenario, pop3Scenario, smtpScenario, type Say } from '../demo/demo-scenarios.ts'
import { startDemoServers, type DemoServers } from '../demo/demo-servers.ts'

interface DemoOptions {
  serve?: boolean
}

const scenarios: ReadonlyArray<[string, (servers: DemoServers, say: Say) => Promise<void>]> = [
  ['FTP: log in anonymously, cd, list, mkdir, download', ftpScenario],
  ['SMTP: send a message, and what the server captured', smtpScenario],
  ['POP3: stat, list, retrieve, delete, quit', pop3Scenario],
  ['NNTP: group, overview, article, post', nntpScenario],
]

/**
 * demoCommand: `netc demo [--serve]`: the four embedded fake servers (each package's ./testing) and the
 * seed's scenarios against them, with the C:/S: dialogue shown; `--serve` keeps the servers running and
 * prints their URLs until Ctrl-C.
 *
 * ```
 * $ netc demo
 * == FTP: log in anonymously, cd, list, mkdir, download
 *   S: 220 netc FtpTestServer ready
 *   C: USER anonymous
 * ```
 */
export function demoCommand(): CommanderCommand {
  return new CommanderCommand('demo')
    .description('run FTP, SMTP, POP3 and NNTP scenarios against embedded servers, with the dialogue shown')
    .option('--serve', 'keep the servers running and print their URLs until Ctrl-C')
    .addHelpText('after', '\nExample:\n  netc demo\n  netc demo --serve    # then, in another terminal: netc ftp ls <the FTP URL>/dave\n')
    .action(async (options: DemoOptions) => {
      const servers = await startDemoServers()
      try {
        if (options.serve === true) await serve(servers)
        else await runScenarios(servers)
      } finally {
        await servers.close()
      }
    })
}

async function runScenarios(servers: DemoServers): Promise<void> {
  const started = Date.now()
  const out = process.stdout
  const say = Object.assign((text: string) => out.write(`  ${paint(out, 'bold', text)}\n`), {
    wire: (line: string) => out.write(`  ${paint(out, 'dim', line)}\n`),
  })
  for (const [title, scenario] of scenarios) {
    out.write(`${paint(out, 'blue', `== ${title}`)}\n`)
    await scenario(servers, say)
  }
  out.write(`-- the four scenarios ran in ${Date.now() - started} ms\n`)
}

async function serve(servers: DemoServers): Promise<void> {
  const { urls } = servers
  const rows: Array<[string, string, string]> = [
    ['ftp', urls.ftp, `anonymous; try: netc ftp ls ${urls.ftp}/dave`],
    ['smtp', urls.smtp, `try: echo hi | netc smtp send ${urls.smtp} --from a@example.com --to b@example.com`],
    ['pop3', urls.pop3, `try: netc pop3 ls ${urls.pop3} --headers`],
    ['nntp', urls.nntp, `try: netc nntp ls ${urls.nntp}/comp.lang.python`],
  ]
  const width = Math.max(...rows.map(([, url]) => url.length))
  process.stdout.write('netc demo servers on 127.0.0.1 (Ctrl-C to stop):\n')
  for (const [name, url, hint] of rows) process.stdout.write(`  ${name.padEnd(5)} ${url.padEnd(width)}  (${hint})\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  process.stdout.write('stopping the demo servers\n')
}
