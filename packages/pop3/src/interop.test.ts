import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Pop3TestServer } from './testing/index.ts'

const run = promisify(execFile)
const poplibScript = fileURLToPath(new URL('./__fixtures__/poplib-client.py', import.meta.url))
const dave = { user: 'dave', pass: 's3cret' }
const messages = ['Subject: one\r\n\r\nfirst\r\n..dotted\r\n', 'Subject: two\r\n\r\nsecond\r\n']

let directory = ''
let caFile = ''
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-pop3-'))
})
afterAll(async () => {
  await rm(directory, { recursive: true, force: true })
})

async function start(options: Parameters<typeof Pop3TestServer.start>[0] = {}): Promise<Pop3TestServer> {
  const server = await Pop3TestServer.start({ mailbox: { ...dave, messages }, ...options })
  caFile = join(directory, `ca-${server.port}.pem`)
  await writeFile(caFile, server.ca)
  return server
}

interface PoplibResult {
  welcome: string
  capa: string[]
  capa_after?: string[]
  login: string
  stat: number[]
  list: string[]
  uidl: string[]
  uidl1: string
  retr1: string
  top2: string
  stat_after_dele: number[]
  quit: string
}

async function poplib(server: Pop3TestServer, mode: 'plain' | 'ssl' | 'stls' | 'apop'): Promise<PoplibResult> {
  const { stdout } = await run('python3', [poplibScript, server.host, String(server.port), caFile, mode, dave.user, dave.pass], { timeout: 20_000 })
  return JSON.parse(stdout) as PoplibResult
}

async function curl(args: string[]): Promise<string> {
  const { stdout } = await run('curl', ['--silent', '--show-error', '--max-time', '15', ...args], { timeout: 20_000, encoding: 'latin1' })
  return stdout
}

describe("Python's poplib against Pop3TestServer", () => {
  it.each(['plain', 'stls', 'apop'] as const)('%s', async (mode) => {
    await using server = await start()
    const uids = server.messages('dave').map((m) => m.uid)
    const result = await poplib(server, mode)
    expect(result.capa).toEqual(expect.arrayContaining(['TOP', 'UIDL', 'USER', 'PIPELINING', 'RESP-CODES']))
    if (mode === 'stls') {
      expect(result.capa).toContain('STLS')
      expect(result.capa_after).not.toContain('STLS')
      expect(server.sessions[0]!.encrypted).toBe(true)
    }
    expect(result.login).toMatch(/^\+OK/)
    expect(result.stat).toEqual([2, 57])
    expect(result.list).toEqual(['1 33', '2 24'])
    expect(result.uidl).toEqual([`1 ${uids[0]}`, `2 ${uids[1]}`])
    expect(result.uidl1).toBe(`+OK 1 ${uids[0]}`)
    expect(`${result.retr1}\r\n`).toBe(messages[0])
    expect(result.top2).toBe('Subject: two\r\n')
    expect(result.stat_after_dele).toEqual([1, 24])
    expect(result.quit).toMatch(/^\+OK 1 messages deleted/)
    expect(server.messages('dave').map((m) => m.body.toString())).toEqual([messages[0]])
    expect(server.errors).toEqual([])
  })

  it('POP3_SSL with the CA in an ssl context', async () => {
    await using server = await start({ tls: 'implicit' })
    const result = await poplib(server, 'ssl')
    expect(result.stat).toEqual([2, 57])
    expect(server.sessions[0]!.encrypted).toBe(true)
    expect(server.messages('dave')).toHaveLength(1)
  })
})

describe('curl against Pop3TestServer', () => {
  it('lists and retrieves over plaintext (SASL PLAIN)', async () => {
    await using server = await start()
    const base = server.url('pop3', dave)
    expect(await curl([`${base}/`])).toBe('1 33\r\n2 24\r\n')
    expect(await curl([`${base}/1`])).toBe(messages[0])
    expect(server.sessions[0]!.received.toString()).toContain('AUTH PLAIN')
  })

  it('upgrades with STLS under --ssl-reqd, verifying with --cacert', async () => {
    await using server = await start()
    expect(await curl(['--ssl-reqd', '--cacert', caFile, `${server.url('pop3', dave)}/2`])).toBe(messages[1])
    expect(server.sessions[0]!.encrypted).toBe(true)
    expect(server.sessions[0]!.received.toString()).toMatch(/^CAPA\r\nSTLS\r\n/)
  })

  it('speaks POP3S', async () => {
    await using server = await start({ tls: 'implicit' })
    expect(await curl(['--cacert', caFile, `${server.url('pop3s', dave)}/`])).toBe('1 33\r\n2 24\r\n')
  })

  it('logs in with APOP when the greeting offers it and there is no SASL, else with USER/PASS', async () => {
    await using apop = await start({ sasl: [] })
    expect(await curl([`${apop.url('pop3', dave)}/1`])).toBe(messages[0])
    expect(apop.sessions[0]!.received.toString()).toMatch(/^CAPA\r\nAPOP dave [0-9a-f]{32}\r\nRETR 1\r\nQUIT\r\n$/)
    await using plain = await start({ sasl: [], apop: false })
    expect(await curl([`${plain.url('pop3', dave)}/1`])).toBe(messages[0])
    expect(plain.sessions[0]!.received.toString()).toBe('CAPA\r\nUSER dave\r\nPASS s3cret\r\nRETR 1\r\nQUIT\r\n')
  })
})
