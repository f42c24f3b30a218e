import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { withNetrcCredentials } from './netrc-credentials.ts'
import { resolveClientOptions } from './resolve-client-options.ts'

let directory = ''
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-pop3-netrc-'))
  const file = join(directory, 'netrc')
  await writeFile(file, 'machine pop.example.com login dave password from-netrc\nmachine pop.example.com login eve password eves\ndefault login anon password guest\n')
  vi.stubEnv('NETRC', file)
})
afterEach(async () => {
  vi.unstubAllEnvs()
  await rm(directory, { recursive: true, force: true })
})

describe('withNetrcCredentials', () => {
  it('fills credentials for the host only when asked', async () => {
    expect((await withNetrcCredentials(resolveClientOptions('pop3://pop.example.com', { netrc: true }))).auth).toEqual({ user: 'dave', pass: 'from-netrc' })
    expect((await withNetrcCredentials(resolveClientOptions('pop3://pop.example.com'))).auth).toBeUndefined()
  })

  it("gives the URL's user their own password, and never overrides a given one", async () => {
    expect((await withNetrcCredentials(resolveClientOptions('pop3://eve@pop.example.com', { netrc: true }))).auth).toEqual({ user: 'eve', pass: 'eves' })
    expect((await withNetrcCredentials(resolveClientOptions('pop3://eve:mine@pop.example.com', { netrc: true }))).auth).toEqual({ user: 'eve', pass: 'mine' })
  })

  it('falls back to the default entry', async () => {
    expect((await withNetrcCredentials(resolveClientOptions('pop3://other.example.com', { netrc: true }))).auth).toEqual({ user: 'anon', pass: 'guest' })
  })
})
