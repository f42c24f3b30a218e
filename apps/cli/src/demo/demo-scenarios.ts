import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FtpClient } from '@netc/ftp'
import { NntpClient } from '@netc/nntp'
import { Pop3Client } from '@netc/pop3'
import { SmtpClient } from '@netc/smtp'
import type { DemoServers } from './demo-servers.ts'

/** Say: where a scenario writes: `say('text')` for a result, `wire` for the C:/S: dialogue. */
export interface Say {
  (text: string): void
  wire: (line: string) => void
}

/**
 * ftpScenario: the seed's FTP session (ftplib's example): log in anonymously, cd, list, mkdir, download.
 *
 * ```
 * C: USER anonymous   S: 331 ...   C: PASS ****   S: 230 ...   C: CWD dave   C: MLSD ...
 * ```
 */
export async function ftpScenario(servers: DemoServers, say: Say): Promise<void> {
  await using ftp = await FtpClient.connect(servers.urls.ftp, { debug: say.wire })
  await ftp.cd('dave')
  for (const entry of await ftp.list()) say(`${entry.type} ${entry.size ?? '-'} ${entry.name}`)
  await ftp.mkdir('reports')
  const directory = await mkdtemp(join(tmpdir(), 'netc-demo-'))
  try {
    const bytes = await ftp.download('dave.txt', join(directory, 'dave.txt'))
    say(`downloaded dave.txt (${bytes} bytes): ${JSON.stringify((await readFile(join(directory, 'dave.txt'), 'utf8')).split('\n')[0])}`)
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}

/** smtpScenario: the seed's smtplib example: one message to two recipients, then what the server captured. */
export async function smtpScenario(servers: DemoServers, say: Say): Promise<void> {
  await using smtp = await SmtpClient.connect(servers.urls.smtp, { debug: say.wire, name: 'demo.netc.test' })
  const message = 'From: dave@example.com\r\nTo: anna@example.com, bob@example.com\r\nSubject: netc demo\r\n\r\nHello from netc.\r\n.dots at the start of a line survive.\r\n'
  const result = await smtp.send({ from: 'dave@example.com', to: ['anna@example.com', 'bob@example.com'] }, message)
  say(`accepted: ${result.accepted.join(', ')}`)
  await smtp.close()
  await servers.smtp.waitForMessages(1)
  const [captured] = servers.smtp.messages
  if (captured !== undefined) {
    say(`the server captured (${captured.transfer}, from ${captured.envelope.from} to ${captured.envelope.to.join(', ')}):`)
    for (const line of captured.message.toString('utf8').trimEnd().split(/\r?\n/)) say(`  | ${line}`)
  }
}

/** pop3Scenario: the seed's poplib session: stat, list, retrieve, delete, quit. */
export async function pop3Scenario(servers: DemoServers, say: Say): Promise<void> {
  const pop = await Pop3Client.connect(servers.urls.pop3, { debug: say.wire })
  try {
    const { count, size } = await pop.stat()
    say(`${count} messages, ${size} bytes`)
    for (const { number, size: bytes } of await pop.list()) say(`message ${number}: ${bytes} bytes`)
    const first = (await pop.retrieve(1)).toString('utf8')
    say(`message 1, subject: ${/^Subject: (.*)$/m.exec(first)?.[1]?.trim() ?? '?'}`)
    await pop.delete(1)
  } finally {
    await pop.close()
  }
  say(`after QUIT the maildrop holds ${servers.pop3.messages('dave').length} messages`)
}

/** nntpScenario: the seed's nntplib session: group, overview, article, post. */
export async function nntpScenario(servers: DemoServers, say: Say): Promise<void> {
  await using news = await NntpClient.connect(servers.urls.nntp, { debug: say.wire })
  const group = await news.group('comp.lang.python')
  say(`${group.name}: ${group.count} articles, ${group.first}-${group.last}`)
  for await (const entry of news.overview({ from: group.first, to: group.last })) say(`${entry.number} ${entry.from} ${entry.subject}`)
  const article = await news.article(group.last)
  say(`article ${article.number} ${article.messageId}: ${article.body.toString('utf8').trim()}`)
  const posted = await news.post('From: dave@example.com\r\nNewsgroups: misc.test\r\nSubject: netc demo\r\n\r\nPosted by netc demo.\r\n')
  say(`posted: ${posted.code} ${posted.text}`)
}
