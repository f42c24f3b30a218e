import { ProxyError } from '@netc/transport'
import { FakeHttpProxy, FakeSocksProxy } from '@netc/transport/testing'
import { describe, expect, it } from 'vitest'
import { Pop3Client } from './pop3-client.ts'
import { Pop3TestServer } from './testing/pop3-test-server.ts'

const mailbox = { user: 'dave', pass: 'secret', messages: ['Subject: hi\r\n\r\nthrough the proxy\r\n'] }

describe('Pop3Client through a proxy', () => {
  it.each([
    ['SOCKS5', 'socks'],
    ['HTTP CONNECT', 'http'],
  ])('%s with auth: logs in and retrieves over STLS through the tunnel', async (_, kind) => {
    await using server = await Pop3TestServer.start({ mailbox })
    const auth = { username: 'proxyuser', password: 'proxypass' }
    await using proxy = kind === 'socks' ? await FakeSocksProxy.start({ auth }) : await FakeHttpProxy.start({ auth })
    const url = `${kind === 'socks' ? 'socks5h' : 'http'}://proxyuser:proxypass@127.0.0.1:${proxy.port}`
    await using pop = await Pop3Client.connect(server.url('pop3', { user: 'dave', pass: 'secret' }), { tls: { mode: 'required', ca: server.ca }, proxy: url })
    expect((await pop.retrieve(1)).toString()).toContain('through the proxy')
    expect(proxy.requests).toEqual([{ host: '127.0.0.1', port: server.port, user: 'proxyuser' }])
  })

  it('a refusing proxy fails connect with ProxyError', async () => {
    await using server = await Pop3TestServer.start({ mailbox })
    await using proxy = await FakeHttpProxy.start({ refuse: 403 })
    const error = await Pop3Client.connect(server.url('pop3'), { tls: 'none', proxy: `http://127.0.0.1:${proxy.port}` }).catch((caught: unknown) => caught)
    expect(ProxyError.isInstance(error) && error.status).toBe(403)
  })
})
