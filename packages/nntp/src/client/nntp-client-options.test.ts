import { InvalidArgumentError } from '@netc/transport'
import { describe, expect, it } from 'vitest'
import { resolveNntpOptions } from './nntp-client-options.ts'

describe('resolveNntpOptions', () => {
  it.each([
    ['nntp://news.example.org', { host: 'news.example.org', port: 119, tls: 'opportunistic' }],
    ['nntps://news.example.org', { host: 'news.example.org', port: 563, tls: 'implicit' }],
    ['nntp://u%40x:p%3Aw@[::1]:1119', { host: '::1', port: 1119, auth: { user: 'u@x', pass: 'p:w' } }],
  ])('reads %s', async (url, expected) => {
    expect(await resolveNntpOptions(url)).toMatchObject(expected)
  })

  it('merges later options over the URL, with tls as a mode or as settings with a mode', async () => {
    expect(await resolveNntpOptions('nntp://h', { tls: 'required' })).toMatchObject({ tls: 'required', port: 119 })
    expect(await resolveNntpOptions('nntps://h', { tls: { ca: 'PEM' } })).toMatchObject({ tls: 'implicit', tlsOptions: { ca: 'PEM' } })
    expect(await resolveNntpOptions({ host: 'h', tls: { mode: 'implicit', servername: 'x' } })).toMatchObject({ port: 563, tlsOptions: { servername: 'x' } })
    expect(await resolveNntpOptions({ host: 'h' })).toMatchObject({ port: 119, tls: 'opportunistic' })
  })

  it.each(['ftp://h', 'nntp://h\r\nx', 'nntp://h:0'])('refuses %j', async (url) => {
    await expect(resolveNntpOptions(url)).rejects.toThrow(InvalidArgumentError)
  })

  it('needs a host', async () => {
    await expect(resolveNntpOptions({})).rejects.toThrow(InvalidArgumentError)
  })
})
