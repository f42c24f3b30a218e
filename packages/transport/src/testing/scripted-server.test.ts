import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../errors/index.ts'
import { RawClient } from './__fixtures__/raw-client.ts'
import { startScriptedServer, type ScriptStep } from './scripted-server.ts'

const smtpScript: ScriptStep[] = ['S: 220 ready', 'C: EHLO client', 'S: 250-first', 'S: 250 last', 'C: QUIT', 'S: 221 bye']

describe('startScriptedServer', () => {
  it('plays the script, sending consecutive S: lines in one write', async () => {
    await using server = await startScriptedServer({ script: smtpScript })
    const client = await RawClient.connect(server.port)
    await client.waitFor('220 ready\r\n')
    client.write('EHLO client\r\n')
    await client.waitFor('250 last\r\n')
    expect(client.chunks.map(String)).toEqual(['220 ready\r\n', '250-first\r\n250 last\r\n'])
    client.write('QUIT\r\n')
    await client.waitForEnd()
    await server.finished()
    server.assertCompleted()
    expect(server.clientLines).toEqual(['EHLO client', 'QUIT'])
    expect(client.text).toBe('220 ready\r\n250-first\r\n250 last\r\n221 bye\r\n')
  })

  it('records a mismatch, closes the session and fails assertCompleted with a diff', async () => {
    await using server = await startScriptedServer({ script: smtpScript })
    const client = await RawClient.connect(server.port)
    await client.waitFor('220 ready\r\n')
    client.write('HELO client\r\n')
    await client.waitForEnd()
    await server.finished()
    expect(server.mismatches).toEqual([{ connection: 1, step: 2, expected: 'C: EHLO client', actual: 'C: HELO client' }])
    expect(() => server.assertCompleted()).toThrow(
      'connection 1, step 2:\n  expected C: EHLO client\n  actual   C: HELO client\n  transcript:\n    S: 220 ready\n    C: HELO client',
    )
  })

  it('fails on a bare LF, on an early disconnect, and when no client came', async () => {
    await using strict = await startScriptedServer({ script: smtpScript })
    const bare = await RawClient.connect(strict.port)
    bare.write('EHLO client\n')
    await bare.waitForEnd()
    await strict.finished()
    expect(strict.mismatches[0]?.actual).toBe('C: EHLO client (ended by a bare LF)')

    await using early = await startScriptedServer({ script: smtpScript })
    const quitter = await RawClient.connect(early.port)
    await quitter.waitFor('220')
    quitter.destroy()
    await early.finished()
    expect(() => early.assertCompleted()).toThrow('actual   (the client closed the connection)')

    await using unused = await startScriptedServer({ script: smtpScript })
    expect(() => unused.assertCompleted()).toThrow('expected 1 connection(s), got 0')
  })

  it('runs STARTTLS, raw bytes and a dot-body, and flags plaintext injected before the handshake', async () => {
    const script: ScriptStep[] = [
      'S: 220 ready',
      'C: STARTTLS',
      'S: 220 go ahead',
      { starttls: true },
      'C: DATA',
      'S: 354 go',
      { expectBytes: 'Subject: x\r\n\r\n..dot\r\n.\r\n' },
      { send: Buffer.from('250 queued\r\n') },
      { close: true },
    ]
    await using server = await startScriptedServer({ script })
    const client = await RawClient.connect(server.port)
    await client.waitFor('220 ready\r\n')
    client.write('STARTTLS\r\n')
    await client.waitFor('220 go ahead\r\n')
    await client.startTls(server.ca)
    client.write('DATA\r\n')
    await client.waitFor('354 go\r\n')
    client.write('Subject: x\r\n\r\n..dot\r\n.\r\n')
    await client.waitFor('250 queued\r\n')
    await client.waitForEnd()
    await server.finished()
    server.assertCompleted()

    await using injected = await startScriptedServer({ script })
    const attacker = await RawClient.connect(injected.port)
    await attacker.waitFor('220 ready\r\n')
    attacker.write('STARTTLS\r\nDATA\r\n')
    await attacker.waitFor('220 go ahead\r\n')
    await attacker.startTls(injected.ca)
    await attacker.waitForEnd()
    await injected.finished()
    expect(injected.mismatches[0]).toMatchObject({ step: 4, actual: 'plaintext sent before the handshake: "DATA\\r\\n"' })
  })

  it('stall: never answers again but records what the client sends', async () => {
    await using server = await startScriptedServer({ script: ['S: 220 ready', 'C: NOOP', { stall: true }, 'S: never'] })
    const client = await RawClient.connect(server.port)
    client.write('NOOP\r\nNOOP\r\nQUIT\r\n')
    await server.finished()
    while (server.clientLines.length < 3) await sleep(5)
    await sleep(50)
    client.destroy()
    await server.close()
    expect(client.text).toBe('220 ready\r\n')
    expect(server.clientLines).toEqual(['NOOP', 'NOOP', 'QUIT'])
    server.assertCompleted()
  })

  it('replays the script for several connections, over implicit TLS', async () => {
    await using server = await startScriptedServer({ tls: 'implicit', connections: 2, script: ['S: +OK hi', 'C: QUIT', 'S: +OK bye'] })
    for (let i = 0; i < 2; i++) {
      const client = await RawClient.connectTls(server.port, server.ca)
      client.write('QUIT\r\n')
      await client.waitForEnd()
      expect(client.text).toBe('+OK hi\r\n+OK bye\r\n')
    }
    await server.finished()
    server.assertCompleted()
    expect(server.runs.map((run) => run.connection)).toEqual([1, 2])
  })

  it('says why no connection ran the script when the TLS handshake failed', async () => {
    await using server = await startScriptedServer({ tls: 'implicit', script: ['S: +OK hi'] })
    await expect(RawClient.connectTls(server.port, undefined)).rejects.toThrow()
    await server.close()
    expect(() => server.assertCompleted()).toThrow(/got 0; connection 1 failed before the script: TLS handshake failed/)
  })

  it('refuses a malformed script', async () => {
    await expect(startScriptedServer({ script: ['X: nope'] })).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(startScriptedServer({ script: ['S: two\r\nlines'] })).rejects.toBeInstanceOf(InvalidArgumentError)
  })
})
