// netc nntp against @netc/nntp's NntpTestServer: groups, ls, get (number and message-id), post, exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NntpTestServer } from '@netc/nntp/testing'
import { runCli } from './run-cli.ts'

let server: NntpTestServer
let url: string

beforeAll(async () => {
  server = await NntpTestServer.start({
    groups: [
      {
        name: 'comp.lang.python',
        articles: [
          { subject: 'first', from: 'anna@example.com', messageId: '<first@example.com>', body: 'One.\n' },
          { subject: 'second', from: 'bob@example.com', body: 'Two.\n' },
          { subject: 'third', from: 'dave@example.com', body: 'Three.\n' },
        ],
      },
      { name: 'comp.lang.c', status: 'm' },
      { name: 'misc.test' },
    ],
  })
  url = `nntp://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server.close()
})

describe('netc nntp', () => {
  it('groups lists name, count and status; a wildmat narrows it; --json', async () => {
    const all = await runCli(['nntp', 'groups', url])
    expect(all.code).toBe(0)
    expect(all.stdout).toMatch(/^comp\.lang\.python\s+3\s+y$/m)
    expect(all.stdout).toMatch(/^comp\.lang\.c\s+0\s+m$/m)
    const json = await runCli(['nntp', 'groups', url, 'comp.lang.*', '--json'])
    const groups = JSON.parse(json.stdout) as Array<{ name: string; count: number; status: string }>
    expect(groups.map((group) => group.name).sort()).toEqual(['comp.lang.c', 'comp.lang.python'])
  })

  it('ls shows the overview; --last narrows it', async () => {
    const all = await runCli(['nntp', 'ls', `${url}/comp.lang.python`])
    expect(all.code).toBe(0)
    expect(all.stdout.trim().split('\n')).toHaveLength(3)
    expect(all.stdout).toMatch(/^1\s+.+\s+anna@example\.com\s+first$/m)
    const json = await runCli(['nntp', 'ls', `${url}/comp.lang.python`, '--last', '2', '--json'])
    expect((JSON.parse(json.stdout) as Array<{ number: number; subject: string }>).map(({ number, subject }) => [number, subject])).toEqual([
      [2, 'second'],
      [3, 'third'],
    ])
  })

  it('get prints an article by group and number, or by message-id; --json', async () => {
    const byNumber = await runCli(['nntp', 'get', `${url}/comp.lang.python/2`])
    expect(byNumber.code).toBe(0)
    expect(byNumber.stdout).toMatch(/^Subject: second\r$/m)
    expect(byNumber.stdout).toMatch(/\r\n\r\nTwo\.\r?\n$/)
    const byId = await runCli(['nntp', 'get', `${url}/<first@example.com>`, '--json'])
    expect(JSON.parse(byId.stdout)).toMatchObject({ messageId: '<first@example.com>', body: expect.stringContaining('One.') as unknown })
  })

  it('post sends stdin as the body to the group', async () => {
    const run = await runCli(['nntp', 'post', `${url}/misc.test`, '--from', 'dave@example.com', '--subject', 'posted by netc', '--json'], { input: 'Hello, news.\n' })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 240 })
    const listed = await runCli(['nntp', 'ls', `${url}/misc.test`, '--json'])
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ from: 'dave@example.com', subject: 'posted by netc' })])
  })

  it('exit codes: 1 no such group or article, 2 usage', async () => {
    const group = await runCli(['nntp', 'ls', `${url}/no.such.group`])
    expect(group.code).toBe(1)
    expect(group.stderr).toMatch(/^netc: cannot open group "no\.such\.group": 411 /)
    const article = await runCli(['nntp', 'get', `${url}/comp.lang.python/99`])
    expect(article.code).toBe(1)
    expect(article.stderr).toMatch(/^netc: cannot read article 99 of "comp\.lang\.python": 423 /)
    expect((await runCli(['nntp', 'post', `${url}/misc.test`, '--from', 'dave@example.com'])).code).toBe(2)
    expect((await runCli(['nntp', 'ls', `${url}/comp.lang.python`, '--last', 'zero'])).code).toBe(2)
  })
})
