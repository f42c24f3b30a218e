import { FtpTestServer } from '@netc/ftp/testing'
import { NntpTestServer } from '@netc/nntp/testing'
import { Pop3TestServer } from '@netc/pop3/testing'
import { SmtpTestServer } from '@netc/smtp/testing'

/** DemoServers: the four embedded fake servers of `netc demo`, with the seed's content. */
export interface DemoServers extends AsyncDisposable {
  ftp: FtpTestServer
  smtp: SmtpTestServer
  pop3: Pop3TestServer
  nntp: NntpTestServer
  /** The URL of each, with the demo's credentials, for `netc demo --serve`. */
  urls: Readonly<Record<'ftp' | 'smtp' | 'pop3' | 'nntp', string>>
  close(): Promise<void>
}

/** The demo's POP3 account. */
export const demoPop3User = { user: 'dave', pass: 'secret' } as const

const message = (number: number, subject: string, text: string): string =>
  `From: anna@example.com\r\nTo: dave@example.com\r\nSubject: ${subject}\r\nMessage-ID: <m${number}@example.com>\r\n\r\n${text}\r\n`

/**
 * startDemoServers: FtpTestServer, SmtpTestServer, Pop3TestServer and NntpTestServer (each package's
 * ./testing) on 127.0.0.1, port 0, plaintext, seeded with the files, messages and articles of the seed's
 * scenarios: an anonymous FTP server with `dave/dave.txt`, a maildrop for dave with three messages, a
 * news server with comp.lang.python and misc.test.
 *
 * ```
 * await using servers = await startDemoServers()
 * console.log(servers.urls.ftp)   // ftp://127.0.0.1:40123
 * ```
 */
export async function startDemoServers(): Promise<DemoServers> {
  const [ftp, smtp, pop3, nntp] = await Promise.all([
    FtpTestServer.start({ files: { 'dave/dave.txt': 'Hello from dave.\nThis file came over FTP.\n', 'pub/README': 'netc demo server\n' } }),
    SmtpTestServer.start({ starttls: false }),
    Pop3TestServer.start({
      starttls: false,
      mailbox: { ...demoPop3User, messages: [message(1, 'Lunch?', 'Noon at the usual place?'), message(2, 'Minutes', 'Attached, the minutes.'), message(3, 'Re: Lunch?', 'Yes.')] },
    }),
    NntpTestServer.start({
      groups: [
        {
          name: 'comp.lang.python',
          description: 'The Python computer language.',
          articles: [
            { subject: 'asyncio and sockets', from: 'anna@example.com', messageId: '<asyncio-1@demo.test>', body: 'How do I read a line?\n' },
            { subject: 'Re: asyncio and sockets', from: 'dave@example.com', references: '<asyncio-1@demo.test>', body: 'StreamReader.readline().\n' },
          ],
        },
        { name: 'misc.test', description: 'Testing, 1, 2, 3.' },
      ],
    }),
  ])
  const servers: DemoServers = {
    ftp,
    smtp,
    pop3,
    nntp,
    urls: { ftp: ftp.url(), smtp: smtp.url('smtp'), pop3: pop3.url('pop3', demoPop3User), nntp: nntp.url() },
    close: async () => {
      await Promise.all([ftp.close(), smtp.close(), pop3.close(), nntp.close()])
    },
    [Symbol.asyncDispose]: () => servers.close(),
  }
  return servers
}
