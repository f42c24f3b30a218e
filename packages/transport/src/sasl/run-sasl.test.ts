import { describe, expect, it } from 'vitest'
import { ProtocolError, ReplyError } from '../errors/index.ts'
import { createSaslMechanism } from './create-sasl-mechanism.ts'
import { runSasl, type SaslExchange, type SaslStep } from './run-sasl.ts'

/** A scripted server: each entry answers one client line (a challenge text, 'OK' with optional data, or an error). */
type Script = Array<string | { ok: string | undefined } | Error>

function scriptedExchange(script: Script): { exchange: SaslExchange; transcript: string[] } {
  const transcript: string[] = []
  const reply = async (): Promise<SaslStep> => {
    const next = script.shift()
    if (next === undefined) throw new Error('script exhausted')
    if (next instanceof Error) throw next
    if (typeof next === 'string') return { done: false, challenge: Buffer.from(next) }
    return next.ok === undefined ? { done: true } : { done: true, serverData: Buffer.from(next.ok) }
  }
  const exchange: SaslExchange = {
    start: async (mechanism, initial) => {
      transcript.push(`AUTH ${mechanism}${initial === undefined ? '' : ` ${initial.toString()}`}`)
      return reply()
    },
    respond: async (response) => {
      transcript.push(response.toString())
      return reply()
    },
    cancel: async () => {
      transcript.push('*')
      const next = script.shift()
      if (next instanceof Error) throw next
    },
  }
  return { exchange, transcript }
}

const scramSha1 = () => createSaslMechanism('SCRAM-SHA-1', { username: 'user', password: 'pencil' }, { clientNonce: 'fyko+d2lbbFgONRv9qkxdawL' })
const serverFirst = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096'
const clientFinal = 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts='
const serverFinal = 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ='

describe('runSasl', () => {
  it('SCRAM with the server-final message as a last challenge (SMTP style)', async () => {
    const { exchange, transcript } = scriptedExchange([serverFirst, serverFinal, { ok: undefined }])
    await runSasl(scramSha1(), exchange)
    expect(transcript).toEqual(['AUTH SCRAM-SHA-1 n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL', clientFinal, ''])
  })

  it('SCRAM with the server-final message in the success reply', async () => {
    const { exchange, transcript } = scriptedExchange([serverFirst, { ok: serverFinal }])
    await runSasl(scramSha1(), exchange)
    expect(transcript).toHaveLength(2)
  })

  it('cancels and throws on a wrong server signature sent as a challenge', async () => {
    const { exchange, transcript } = scriptedExchange([serverFirst, 'v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=', { ok: undefined }])
    await expect(runSasl(scramSha1(), exchange)).rejects.toThrow(ProtocolError)
    expect(transcript.at(-1)).toBe('*')
  })

  it('throws without cancelling when the success reply carries a wrong signature', async () => {
    const { exchange, transcript } = scriptedExchange([serverFirst, { ok: 'v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }])
    await expect(runSasl(scramSha1(), exchange)).rejects.toThrow(/wrong server signature/)
    expect(transcript).not.toContain('*')
  })

  it('throws when the server claims success without proving itself', async () => {
    const { exchange } = scriptedExchange([serverFirst, { ok: undefined }])
    await expect(runSasl(scramSha1(), exchange)).rejects.toThrow(/without proving its identity/)
  })

  it('cancels on a bad nonce and keeps the ProtocolError even when cancelling fails', async () => {
    const { exchange, transcript } = scriptedExchange(['r=other,s=QSXCR+Q6sek8bf92,i=4096', new Error('501 cancelled')])
    await expect(runSasl(scramSha1(), exchange)).rejects.toThrow(/does not extend the client nonce/)
    expect(transcript.at(-1)).toBe('*')
  })

  it('CRAM-MD5: waits for the challenge (RFC 2195)', async () => {
    const { exchange, transcript } = scriptedExchange(['<1896.697170952@postoffice.reston.mci.net>', { ok: undefined }])
    await runSasl(createSaslMechanism('CRAM-MD5', { username: 'tim', password: 'tanstaaftanstaaf' }), exchange)
    expect(transcript).toEqual(['AUTH CRAM-MD5', 'tim b913a602c7eda7a495b4e6e7334d3890'])
  })

  it('LOGIN: two prompts, then a third one is refused with *', async () => {
    const { exchange, transcript } = scriptedExchange(['Username:', 'Password:', 'Again:', { ok: undefined }])
    await expect(runSasl(createSaslMechanism('LOGIN', { username: 'tim', password: 'pw' }), exchange)).rejects.toThrow(ProtocolError)
    expect(transcript).toEqual(['AUTH LOGIN', 'tim', 'pw', '*'])
  })

  it('withholds the initial response when asked and sends it on the first challenge', async () => {
    const { exchange, transcript } = scriptedExchange(['', { ok: undefined }])
    await runSasl(createSaslMechanism('PLAIN', { username: 'tim', password: 'pw' }), exchange, { sendInitialResponse: false })
    expect(transcript).toEqual(['AUTH PLAIN', '\0tim\0pw'])
  })

  it('passes a failure reply through untouched, without cancelling', async () => {
    const failure = new ReplyError({ replyCode: 535, lines: ['5.7.8 Authentication credentials invalid'], command: 'AUTH PLAIN' })
    const { exchange, transcript } = scriptedExchange([failure])
    await expect(runSasl(createSaslMechanism('PLAIN', { username: 'tim', password: 'pw' }), exchange)).rejects.toBe(failure)
    expect(transcript).toHaveLength(1)
  })

  it('XOAUTH2: answers the JSON error with an empty line, then gets the failure', async () => {
    const failure = new ReplyError({ replyCode: 535, lines: ['5.7.8 Username and Password not accepted'] })
    const { exchange, transcript } = scriptedExchange(['{"status":"401"}', failure])
    await expect(runSasl(createSaslMechanism('XOAUTH2', { username: 'u', accessToken: 't' }), exchange)).rejects.toBe(failure)
    expect(transcript.at(-1)).toBe('')
  })

  it('gives up after maxSteps challenges', async () => {
    const endless: SaslExchange = {
      start: async () => ({ done: false, challenge: Buffer.alloc(0) }),
      respond: async () => ({ done: false, challenge: Buffer.alloc(0) }),
      cancel: async () => undefined,
    }
    const patient = { name: 'PLAIN' as const, initialResponse: () => undefined, respond: () => Buffer.alloc(0), verifyFinal: () => undefined }
    await expect(runSasl(patient, endless, { maxSteps: 3 })).rejects.toThrow(/too many challenges/)
    await expect(runSasl(patient, endless)).rejects.toThrow(ProtocolError)
  })
})
