// `pnpm harness up <daemon>`: starts real daemons on 127.0.0.1 for trying things by hand, prints how to reach
// them and waits; Ctrl-C stops them cleanly (by the PIDs the harness recorded).
import type { Daemon } from './daemon.ts'
import { startDovecot } from './dovecot.ts'
import { startInn } from './inn.ts'
import { makeArticle } from './nntp-feed.ts'
import { startPostfix } from './postfix.ts'
import { startProftpd } from './proftpd.ts'
import { startPureFtpd } from './pure-ftpd.ts'
import { startVsftpd } from './vsftpd.ts'

const starters: Record<string, () => Promise<Daemon>> = {
  ftp: () => startVsftpd({ implicitTls: false }),
  'ftp-implicit': () => startVsftpd({ implicitTls: true }),
  'pure-ftpd': () => startPureFtpd(),
  proftpd: () => startProftpd(),
  smtp: () => startPostfix(),
  pop3: async () => {
    const daemon = await startDovecot()
    const samples = [1, 2, 3].map((n) => `From: sample@example.org\r\nTo: alice@localhost\r\nSubject: Sample ${n}\r\n\r\nSample message ${n}.\r\n`)
    await daemon.fillMailbox('alice', samples)
    return daemon
  },
  nntp: async () => {
    const daemon = await startInn()
    await daemon.feed([1, 2, 3].map((n) => makeArticle({ newsgroups: 'netc.misc', subject: `Sample ${n}`, body: `Sample article ${n}.` })))
    return daemon
  },
}

const usage = `usage: pnpm harness up <${[...Object.keys(starters), 'all'].join('|')}>`

async function main(argv: readonly string[]): Promise<number> {
  const [command, which] = argv
  if (command !== 'up' || which === undefined || (which !== 'all' && !(which in starters))) {
    console.error(usage)
    return 2
  }
  const names = which === 'all' ? Object.keys(starters).filter((name) => name !== 'ftp') : [which]
  const daemons: Daemon[] = []
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(daemons.map((daemon) => daemon.stop()))
  }
  let stopping = false
  const onSignal = (): void => {
    if (stopping) return
    stopping = true
    console.log('\nstopping...')
    stopAll().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    for (const name of names) {
      const daemon = await starters[name]!()
      daemons.push(daemon)
      console.log(`${name}:`)
      for (const url of daemon.urls) console.log(`  ${url}`)
      console.log(`  users: ${daemon.users.map(({ user, pass }) => `${user} / ${pass}`).join(', ')}`)
      console.log(`  CA:    ${daemon.caFile}`)
      console.log(`  dir:   ${daemon.directory}`)
    }
  } catch (error) {
    await stopAll()
    throw error
  }
  console.log('\nup; Ctrl-C stops.')
  await new Promise<never>(() => {
    setInterval(() => undefined, 1 << 30)
  })
  return 0
}

// `pnpm harness up pop3` at the root passes a literal `--` through: drop it.
const argv = process.argv.slice(2)
main(argv[0] === '--' ? argv.slice(1) : argv).then(
  (code) => {
    if (code !== 0) process.exit(code)
  },
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
