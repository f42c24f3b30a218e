import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { sampleGroups } from '../__fixtures__/sample-groups.ts'
import { NntpTestServer, type NntpTestServerOptions } from './index.ts'

const script = fileURLToPath(new URL('../__fixtures__/nntplib-client.py', import.meta.url))
const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

function python(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-W', 'ignore::DeprecationWarning', script, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`nntplib failed: ${error.message}\n${stderr}`))
      else resolve(JSON.parse(stdout) as Record<string, unknown>)
    })
  })
}

async function start(options: NntpTestServerOptions = {}): Promise<NntpTestServer> {
  const server = await NntpTestServer.start({ groups: sampleGroups(), ...options })
  cleanup.push(() => server.close())
  return server
}

function expectNntplibSession(out: Record<string, unknown>): void {
  expect(out.group).toEqual(['211 3 1 3 misc.test', 3, 1, 3, 'misc.test'])
  expect(out.over).toEqual([
    [1, 'hello world', '<first@example.org>', expect.any(String) as unknown],
    [2, 'Grüße and more', '<second@example.org>', expect.any(String) as unknown],
    [3, 'Re: hello world', '<third@example.org>', expect.any(String) as unknown],
  ])
  expect(out.article).toEqual([1, '<first@example.org>', expect.arrayContaining(['Subject: hello world', '', 'Hello.', '.a line that starts with a dot'])])
  expect(out.article_by_id).toBe('<second@example.org>')
  expect(out.head).toEqual(['References: <first@example.org>'])
  expect(out.stat).toEqual(['223', 2, '<second@example.org>'])
  expect(out.post).toBe('240 Article received <py@example.org>')
  expect(out.posted_body).toEqual(['.dot line', 'end'])
  expect(out.list).toEqual([['misc.test', '0000000004', '0000000001', 'y'], ['local.empty', '0000000000', '0000000001', 'y']])
  expect(out.descriptions).toEqual({ 'misc.test': 'For testing.' })
  expect(out.date).toBe(true)
  expect(out.xhdr).toEqual([['1', 'hello world'], ['2', '=?UTF-8?B?R3LDvMOfZQ==?= and more'], ['3', 'Re: hello world']])
  expect(out.quit).toBe('205 Bye')
}

describe("Python 3.11's nntplib against NntpTestServer", () => {
  it('reads, posts and lists over plain NNTP', async () => {
    const server = await start()
    const out = await python([server.host, String(server.port)])
    expect(out.welcome).toBe('200 netc NntpTestServer ready (posting ok)')
    expectNntplibSession(out)
    expect(server.server.errors).toEqual([])
  })

  it('does the same over NNTP_SSL with the CA in an ssl context', async () => {
    const server = await start({ tls: 'implicit' })
    const directory = await mkdtemp(join(tmpdir(), 'netc-nntp-'))
    cleanup.push(() => rm(directory, { recursive: true, force: true }))
    const cafile = join(directory, 'ca.pem')
    await writeFile(cafile, server.ca)
    expectNntplibSession(await python([server.host, String(server.port), cafile]))
    expect(server.sessions[0]?.encrypted).toBe(true)
  })
})
