import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../errors/index.ts'
import { netrcPath, readNetrc } from './read-netrc.ts'

let directory = ''
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netc-netrc-'))
  await writeFile(join(directory, '.netrc'), 'machine home.example login h password hp\n')
  await writeFile(join(directory, 'other'), 'machine other.example login o password op\n')
  await writeFile(join(directory, 'broken'), 'machine a password two words\n')
  await mkdir(join(directory, 'a-directory'))
  await chmod(join(directory, 'other'), 0o600)
})
afterAll(async () => {
  await rm(directory, { recursive: true, force: true })
})

describe('readNetrc', () => {
  it('reads ~/.netrc', async () => {
    expect(await readNetrc({ env: { HOME: directory } })).toEqual([{ machine: 'home.example', login: 'h', password: 'hp' }])
  })

  it('prefers NETRC to ~/.netrc, and path to both', async () => {
    const env = { HOME: directory, NETRC: join(directory, 'other') }
    expect((await readNetrc({ env }))[0]?.machine).toBe('other.example')
    expect((await readNetrc({ env, path: join(directory, '.netrc') }))[0]?.machine).toBe('home.example')
  })

  it('ignores an empty NETRC', () => {
    expect(netrcPath({ env: { HOME: '/home/dave', NETRC: '' } })).toBe(join('/home/dave', '.netrc'))
  })

  it('reads a missing file as no entries', async () => {
    expect(await readNetrc({ env: { HOME: join(directory, 'nowhere') } })).toEqual([])
    expect(await readNetrc({ env: { NETRC: join(directory, 'missing') } })).toEqual([])
  })

  it('names the file when it cannot be read or parsed', async () => {
    await expect(readNetrc({ path: join(directory, 'a-directory') })).rejects.toThrow(InvalidArgumentError)
    await expect(readNetrc({ path: join(directory, 'broken') })).rejects.toThrow(/broken: netrc line 1: unexpected token/)
  })
})
