import { describe, expect, it } from 'vitest'
import { FtpReplyError } from '@netc/ftp'
import { NntpReplyError } from '@netc/nntp'
import { Pop3ReplyError, parseStatusLine } from '@netc/pop3'
import { SmtpReplyError } from '@netc/smtp'
import { ClosedError, ConnectionError, InvalidArgumentError, ProtocolError, TimeoutError, TlsError } from '@netc/transport'
import { CliError, ExitCode } from './cli-error.ts'
import { exitCodeOf } from './exit-code-of.ts'
import { reasonOf } from './step.ts'

const timeout = new TimeoutError('no greeting in 300 ms', { phase: 'greeting', timeout: 300 })

describe('exitCodeOf', () => {
  it.each([
    ['a refused file', new FtpReplyError({ replyCode: 550, lines: ['No such file'], command: 'RETR x' }), ExitCode.refused],
    ['FTP 530 at login', new FtpReplyError({ replyCode: 530, lines: ['Login incorrect.'], command: 'PASS ****' }), ExitCode.auth],
    ['FTP 530 elsewhere', new FtpReplyError({ replyCode: 530, lines: ['Please login with USER and PASS.'], command: 'LIST' }), ExitCode.auth],
    ['FTP AUTH TLS refused', new FtpReplyError({ replyCode: 500, lines: ['unknown command'], command: 'AUTH TLS' }), ExitCode.connect],
    ['SMTP STARTTLS refused', new SmtpReplyError({ replyCode: 454, lines: ['4.7.0 TLS not available'], command: 'STARTTLS' }), ExitCode.connect],
    ['SMTP AUTH refused', new SmtpReplyError({ replyCode: 535, lines: ['5.7.8 bad credentials'], command: 'AUTH PLAIN ****' }), ExitCode.auth],
    ['SMTP recipient refused', new SmtpReplyError({ replyCode: 550, lines: ['5.1.1 no such user'], command: 'RCPT TO:<x@y>' }), ExitCode.refused],
    ['POP3 PASS refused', new Pop3ReplyError({ status: parseStatusLine('-ERR [AUTH] bad login'), command: 'PASS ****' }), ExitCode.auth],
    ['NNTP 481', new NntpReplyError({ replyCode: 481, lines: ['Authentication failed'], command: 'AUTHINFO PASS ****' }), ExitCode.auth],
    ['NNTP 411', new NntpReplyError({ replyCode: 411, lines: ['No such group'], command: 'GROUP x' }), ExitCode.refused],
    ['a timeout', timeout, ExitCode.timeout],
    ['a closed connection after a timeout', new ClosedError('closed', { cause: timeout }), ExitCode.timeout],
    ['a refused connection', new ConnectionError('cannot reach h:1: ECONNREFUSED'), ExitCode.connect],
    ['a TLS failure', new TlsError('self-signed certificate'), ExitCode.connect],
    ['a bad argument', new InvalidArgumentError('CR in a path'), ExitCode.usage],
    ['a protocol error', new ProtocolError('line too long'), ExitCode.refused],
    ['a CLI error', new CliError('x', ExitCode.usage), ExitCode.usage],
  ])('%s', (_, error, code) => {
    expect(exitCodeOf(error)).toBe(code)
  })
})

describe('reasonOf', () => {
  it('gives the reply for a reply error, the message otherwise', () => {
    expect(reasonOf(new FtpReplyError({ replyCode: 550, lines: ['No such file'], command: 'RETR x' }))).toBe('550 No such file')
    expect(reasonOf(new ConnectionError('ECONNREFUSED'))).toBe('ECONNREFUSED')
    expect(reasonOf(new Pop3ReplyError({ status: parseStatusLine('-ERR [AUTH] bad login'), command: 'PASS ****' }))).toBe('-ERR [AUTH] bad login')
    expect(reasonOf('text')).toBe('text')
  })
})
