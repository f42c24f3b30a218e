// The files of the scratch consumer project that `pnpm check:tarballs` writes next to the installed
// tarballs: the same round trips loaded through ESM `import` and CommonJS `require`, and TypeScript
// consumers for `module: node16` (an .mts and a .cts file) and for bundler resolution.

const specifiers = {
  transport: '@netc/transport',
  transportTesting: '@netc/transport/testing',
  ftp: '@netc/ftp',
  ftpTesting: '@netc/ftp/testing',
  smtp: '@netc/smtp',
  smtpTesting: '@netc/smtp/testing',
  pop3: '@netc/pop3',
  pop3Testing: '@netc/pop3/testing',
  nntp: '@netc/nntp',
  nntpTesting: '@netc/nntp/testing',
}

// The names each entry point must export, as functions (classes included).
const expectedNames = {
  transport: ['Connection', 'Command', 'NetcError', 'ReplyError', 'ProtocolError', 'TimeoutError', 'ClosedError'],
  transportTesting: ['TestServer', 'TestSession', 'startScriptedServer', 'createTestCertificates'],
  ftp: ['FtpClient', 'FtpPool', 'FtpReplyError', 'NetcError', 'Command'],
  ftpTesting: ['FtpTestServer', 'MemoryFileSystem'],
  smtp: ['SmtpClient', 'SmtpReplyError', 'NetcError'],
  smtpTesting: ['SmtpTestServer'],
  pop3: ['Pop3Client', 'Pop3ReplyError', 'NetcError'],
  pop3Testing: ['Pop3TestServer'],
  nntp: ['NntpClient', 'NntpReplyError', 'NetcError'],
  nntpTesting: ['NntpTestServer'],
}

// One real round trip per package against its ./testing server; `m` holds the ten loaded modules.
const roundTrips = `
const expectedNames = ${JSON.stringify(expectedNames)}

function check(condition, message) {
  if (!condition) throw new Error(message)
}

const trips = {
  async transport(m) {
    const scripted = await m.transportTesting.startScriptedServer({ script: ['S: 220 ready', 'C: NOOP', 'S: 250 ok', 'C: QUIT', 'S: 221 bye'] })
    const connection = await m.transport.Connection.open({ host: scripted.host, port: scripted.port, protocol: 'smtp' })
    await connection.readGreeting()
    await connection.execute(m.transport.Command.of('NOOP'))
    await connection.execute(m.transport.Command.of('QUIT'))
    await connection.close()
    await scripted.finished()
    scripted.assertCompleted()
    await scripted[Symbol.asyncDispose]()
    return 'scripted NOOP + QUIT'
  },
  async ftp(m) {
    check(m.ftp.NetcError === m.transport.NetcError, '@netc/ftp and @netc/transport carry two copies of NetcError')
    const server = await m.ftpTesting.FtpTestServer.start({ users: { dave: 'secret' }, files: { 'dave.txt': 'hello' } })
    const ftp = await m.ftp.FtpClient.connect(server.url({ user: 'dave', pass: 'secret' }))
    const names = (await ftp.list()).map((entry) => entry.name)
    await ftp.close()
    await server[Symbol.asyncDispose]()
    check(names.includes('dave.txt'), 'list: ' + JSON.stringify(names))
    return 'list ' + JSON.stringify(names)
  },
  async smtp(m) {
    const server = await m.smtpTesting.SmtpTestServer.start({})
    const smtp = await m.smtp.SmtpClient.connect(server.url('smtp'), { tls: { ca: server.ca } })
    const sent = await smtp.send({ from: 'a@example.com', to: ['b@example.com'] }, 'Subject: hi\\r\\n\\r\\nhello\\r\\n')
    await smtp.close()
    const received = server.messages.length
    await server[Symbol.asyncDispose]()
    check(sent.accepted.length === 1 && received === 1, 'send: ' + JSON.stringify(sent))
    return 'send accepted ' + JSON.stringify(sent.accepted)
  },
  async pop3(m) {
    const server = await m.pop3Testing.Pop3TestServer.start({ mailbox: { user: 'dave', pass: 'secret', messages: ['Subject: hi\\r\\n\\r\\nhello\\r\\n'] } })
    const pop = await m.pop3.Pop3Client.connect(server.url('pop3', { user: 'dave', pass: 'secret' }), { tls: { ca: server.ca } })
    const stat = await pop.stat()
    await pop.close()
    await server[Symbol.asyncDispose]()
    check(stat.count === 1, 'stat: ' + JSON.stringify(stat))
    return 'stat ' + JSON.stringify(stat)
  },
  async nntp(m) {
    const server = await m.nntpTesting.NntpTestServer.start({ groups: [{ name: 'misc.test', articles: [{ subject: 'hi', body: 'Hello.\\r\\n' }] }] })
    const news = await m.nntp.NntpClient.connect(server.url(), { tlsOptions: { ca: server.ca } })
    const group = await news.group('misc.test')
    await news.close()
    await server[Symbol.asyncDispose]()
    check(group.count === 1, 'group: ' + JSON.stringify(group))
    return 'group ' + JSON.stringify(group)
  },
}

// m: entry name → the loaded module, or the Error loading it threw.
async function roundTrips(m, flavour) {
  const watchdog = setTimeout(() => {
    console.error(flavour + ': round trips did not finish within 60 s')
    process.exit(1)
  }, 60_000)
  let failed = 0
  for (const name of Object.keys(trips)) {
    try {
      for (const entry of [name, name + 'Testing']) {
        if (m[entry] instanceof Error) throw m[entry]
        for (const exported of expectedNames[entry]) check(typeof m[entry][exported] === 'function', entry + ' does not export ' + exported)
      }
      console.log(flavour + ': @netc/' + name + ': ' + (await trips[name](m)))
    } catch (error) {
      failed++
      console.log(flavour + ': @netc/' + name + ': FAILED: ' + (error && error.stack ? error.stack.split('\\n').slice(0, 3).join('\\n  ') : String(error)))
    }
  }
  clearTimeout(watchdog)
  if (failed > 0) process.exitCode = 1
}
`

const esm = `${Object.entries(specifiers).map(([name, specifier]) => `import * as ${name} from '${specifier}'`).join('\n')}
${roundTrips}
await roundTrips({ ${Object.keys(specifiers).join(', ')} }, 'esm')
`

const cjs = `'use strict'
function load(specifier) {
  try {
    return require(specifier)
  } catch (error) {
    return error
  }
}
${Object.entries(specifiers).map(([name, specifier]) => `const ${name} = load('${specifier}')`).join('\n')}
${roundTrips}
roundTrips({ ${Object.keys(specifiers).join(', ')} }, 'cjs').catch((error) => {
  console.error(error)
  process.exit(1)
})
`

// Typed use of the public API: wrong types must be errors (so the declarations are not `any`).
const typed = (suffix) => `import { Command, Connection, NetcError, type CodedReply } from '@netc/transport'
import { startScriptedServer, type ScriptedServer } from '@netc/transport/testing'
import { FtpClient, FtpReplyError, type FileInfo } from '@netc/ftp'
import { FtpTestServer } from '@netc/ftp/testing'
import { SmtpClient, type SendResult } from '@netc/smtp'
import { SmtpTestServer } from '@netc/smtp/testing'
import { Pop3Client, type Pop3DropListing } from '@netc/pop3'
import { Pop3TestServer } from '@netc/pop3/testing'
import { NntpClient, type GroupInfo } from '@netc/nntp'
import { NntpTestServer } from '@netc/nntp/testing'

export async function typed${suffix}(): Promise<number> {
  const scripted: ScriptedServer = await startScriptedServer({ script: ['S: 220 ready'] })
  const connection: Connection = await Connection.open({ host: scripted.host, port: scripted.port, protocol: 'smtp' })
  const greeting: CodedReply = await connection.readGreeting()
  const ftpServer = await FtpTestServer.start({ users: { dave: 'secret' } })
  const ftp: FtpClient = await FtpClient.connect(ftpServer.url({ user: 'dave', pass: 'secret' }))
  const entries: FileInfo[] = await ftp.list()
  const smtpServer = await SmtpTestServer.start({})
  const smtp = await SmtpClient.connect(smtpServer.url('smtp'), { tls: { ca: smtpServer.ca } })
  const sent: SendResult = await smtp.send({ from: 'a@example.com', to: ['b@example.com'] }, 'Subject: hi\\r\\n\\r\\nhi\\r\\n')
  const popServer = await Pop3TestServer.start({ mailbox: { user: 'dave', pass: 'secret', messages: [] } })
  const pop = await Pop3Client.connect(popServer.url('pop3', { user: 'dave', pass: 'secret' }), { tls: { ca: popServer.ca } })
  const stat: Pop3DropListing = await pop.stat()
  const newsServer = await NntpTestServer.start({ groups: [{ name: 'misc.test', articles: [] }] })
  const news = await NntpClient.connect(newsServer.url(), { tlsOptions: { ca: newsServer.ca } })
  const group: GroupInfo = await news.group('misc.test')
  // @ts-expect-error a count is a number
  const wrong: string = stat.count
  // @ts-expect-error Command.of takes strings
  Command.of(42)
  const error: unknown = new Error('x')
  const isReply: boolean = FtpReplyError.isInstance(error) || NetcError.isInstance(error)
  return greeting.code + entries.length + sent.accepted.length + stat.count + group.count + wrong.length + Number(isReply)
}
`

const tsconfig = (options, files) =>
  JSON.stringify(
    {
      compilerOptions: {
        ...options,
        target: 'es2022',
        lib: ['es2023', 'esnext.disposable', 'esnext.asynciterable'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      files,
    },
    null,
    2,
  )

/** consumerFiles: file name → contents, written into the scratch project. */
export const consumerFiles = {
  'consumer.mjs': esm,
  'consumer.cjs': cjs,
  'typed-esm.mts': typed('Esm'),
  'typed-cjs.cts': typed('Cjs'),
  'typed-bundler.ts': typed('Bundler'),
  'tsconfig.node16.json': tsconfig({ module: 'node16', moduleResolution: 'node16' }, ['typed-esm.mts', 'typed-cjs.cts']),
  'tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }, ['typed-bundler.ts']),
}
