import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../errors/index.ts'
import { Command } from './command.ts'

describe('Command', () => {
  it.each([
    [Command.of('NOOP'), 'NOOP\r\n', 'NOOP'],
    [Command.of('RETR', 'dave.txt'), 'RETR dave.txt\r\n', 'RETR dave.txt'],
    [Command.of('LIST', 3), 'LIST 3\r\n', 'LIST 3'],
    [Command.secret('PASS', 'hunter2'), 'PASS hunter2\r\n', 'PASS ****'],
    [Command.of('AUTHINFO', 'PASS', 'pw').redacting(1), 'AUTHINFO PASS pw\r\n', 'AUTHINFO PASS ****'],
    [Command.of('AUTH', 'PLAIN', 'AGEAYg==').redacting(1), 'AUTH PLAIN AGEAYg==\r\n', 'AUTH PLAIN ****'],
    [Command.of('AUTH', 'LOGIN').redacting(1), 'AUTH LOGIN\r\n', 'AUTH LOGIN'],
    [Command.line('dXNlcg=='), 'dXNlcg==\r\n', '****'],
    [Command.line('*', { secret: false }), '*\r\n', '*'],
  ])('%s → wire and log', (command, wire, log) => {
    expect(command.toWire().toString('utf8')).toBe(wire)
    expect(command.toLog()).toBe(log)
    expect(`${String(command)}`).toBe(log)
  })

  it.each([
    [Command.of('PASS', 'hunter2'), 'PASS ****'],
    [Command.of('pass', 'hunter2'), 'pass ****'],
    [Command.of('AUTH', 'PLAIN', 'AGEAYg=='), 'AUTH PLAIN ****'],
    [Command.of('AUTH', 'TLS'), 'AUTH TLS'],
    [Command.of('AUTHINFO', 'USER', 'dave'), 'AUTHINFO USER dave'],
    [Command.of('AUTHINFO', 'PASS', 'pw'), 'AUTHINFO PASS ****'],
    [Command.of('AUTHINFO', 'SASL', 'PLAIN', 'AGEAYg=='), 'AUTHINFO SASL PLAIN ****'],
    [Command.of('APOP', 'mrose', 'c4c9334bac560ecc979e58001b3e22fb'), 'APOP mrose ****'],
  ])('masks the secrets of %s even when the caller did not ask', (command, log) => {
    expect(command.toLog()).toBe(log)
  })

  it.each(['a\r\nDELE 1', 'a\nb', 'a\rb', 'a\0b', '\r\n'])('refuses CR, LF and NUL in %j before anything is written', (arg) => {
    expect(() => Command.of('RETR', arg)).toThrow(InvalidArgumentError)
    expect(() => Command.secret('PASS', arg)).toThrow(InvalidArgumentError)
    expect(() => Command.line(arg)).toThrow(InvalidArgumentError)
  })

  it.each(['', 'RE TR', 'RETR\r\n', '-X'])('refuses the verb %j', (verb) => {
    expect(() => Command.of(verb)).toThrow(InvalidArgumentError)
  })

  it('encodes in the connection encoding', () => {
    expect(Command.of('CWD', 'café').toWire('latin1')).toEqual(Buffer.from('CWD caf\xe9\r\n', 'latin1'))
    expect(Command.of('CWD', 'café').toWire()).toEqual(Buffer.from('CWD café\r\n', 'utf8'))
  })

  it('property: a command either throws InvalidArgumentError or is exactly one CRLF-terminated line', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { maxLength: 4 }), (verb, args) => {
        let command: Command
        try {
          command = Command.of(verb, ...args)
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidArgumentError)
          return
        }
        const wire = command.toWire().toString('utf8')
        expect(wire.endsWith('\r\n')).toBe(true)
        expect(wire.slice(0, -2)).not.toMatch(/[\r\n\0]/)
      }),
    )
  })
})
