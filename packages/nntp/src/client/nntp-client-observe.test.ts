import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sampleGroups } from '../__fixtures__/sample-groups.ts'
import { NntpTestServer, wildmatMatches } from '../testing/index.ts'
import { NntpClient } from './nntp-client.ts'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

describe('observing and configuring', () => {
  it('publishes redacted commands and replies on netc:nntp:* channels', async () => {
    const server = await NntpTestServer.start({ groups: sampleGroups(), starttls: true, auth: { user: 'dave', pass: 'hunter2' } })
    cleanup.push(() => server.close())
    const commands: string[] = []
    const onCommand = (message: unknown): void => {
      commands.push((message as { command: string }).command)
    }
    subscribe('netc:nntp:command', onCommand)
    cleanup.push(() => {
      unsubscribe('netc:nntp:command', onCommand)
    })
    const news = await NntpClient.connect(server.url({ user: 'dave', pass: 'hunter2' }), { tlsOptions: { ca: server.ca } })
    cleanup.push(() => news.close())
    expect(commands).toEqual(['CAPABILITIES', 'STARTTLS', 'CAPABILITIES', 'AUTHINFO USER dave', 'AUTHINFO PASS ****', 'CAPABILITIES'])
  })

  it('reads credentials from the netrc file when asked', async () => {
    const server = await NntpTestServer.start({ groups: sampleGroups(), auth: { user: 'dave', pass: 'from-netrc' } })
    cleanup.push(() => server.close())
    const directory = await mkdtemp(join(tmpdir(), 'netc-nntp-netrc-'))
    cleanup.push(() => rm(directory, { recursive: true, force: true }))
    const file = join(directory, 'netrc')
    await writeFile(file, `machine 127.0.0.1 login dave password from-netrc\n`)
    const previous = process.env.NETRC
    process.env.NETRC = file
    cleanup.push(() => {
      if (previous === undefined) delete process.env.NETRC
      else process.env.NETRC = previous
    })
    const news = await NntpClient.connect(server.url(), { netrc: true })
    cleanup.push(() => news.close())
    expect(news.state).toBe('authenticated')
  })
})

describe('wildmatMatches (the fake server)', () => {
  it.each([
    ['*', 'misc.test', true],
    ['misc.*', 'misc.test', true],
    ['misc.*', 'comp.test', false],
    ['*,!misc.*', 'misc.test', false],
    ['*,!misc.*', 'comp.x', true],
    ['comp.?', 'comp.a', true],
    ['a.b', 'aXb', false],
  ])('%s matches %s: %s', (wildmat, name, expected) => {
    expect(wildmatMatches(wildmat, name)).toBe(expected)
  })
})
