import { Command, Connection, createSaslMechanism, runSasl, type ConnectionIo, type SaslStep } from '@netc/transport'
import { startDemoMailServer, type DemoDelivery } from './demo-mail-server.ts'

/** The SASL exchange of SMTP AUTH (RFC 4954): `AUTH <mechanism> [initial]`, then 334 challenges. */
function smtpSaslExchange(io: ConnectionIo) {
  const step = async (): Promise<SaslStep> => {
    const reply = io.expect(await io.readCodedReply({ sensitive: true }), [235, 334])
    return reply.code === 235 ? { done: true } : { done: false, challenge: Buffer.from(reply.lines[0] ?? '', 'base64') }
  }
  return {
    async start(mechanism: string, initial: Buffer | undefined) {
      const args = initial === undefined ? [mechanism] : [mechanism, initial.length === 0 ? '=' : initial.toString('base64')]
      await io.send(Command.of('AUTH', ...args).redacting(1))
      return step()
    },
    async respond(response: Buffer) {
      await io.send(Command.line(response.toString('base64')))
      return step()
    },
    async cancel() {
      await io.send(Command.line('*', { secret: false }))
      await io.readCodedReply()
    },
  }
}

/**
 * runTransportDemo: @netc/transport end to end against an in-process server: connect, greeting, EHLO,
 * STARTTLS (certificate verified against the server's throwaway CA), EHLO again, SASL PLAIN, a pipelined
 * MAIL + RCPT + DATA in one write, a dot-stuffed body that tries SMTP smuggling, QUIT. The dialogue is
 * printed as it happens, secrets masked.
 */
export async function runTransportDemo(write: (line: string) => void): Promise<DemoDelivery[]> {
  const deliveries: DemoDelivery[] = []
  await using server = await startDemoMailServer(deliveries)
  write(`-- demo mail server on ${server.url('smtp')}`)
  await using connection = await Connection.open({
    host: server.host,
    port: server.port,
    protocol: 'smtp',
    tls: { ca: server.ca },
    debug: (line) => write(`   ${line}`),
  })
  await connection.readGreeting()
  await connection.execute(Command.of('EHLO', 'netc.demo'))
  await connection.run(async (io) => {
    await io.send(Command.of('STARTTLS'))
    io.expect(await io.readCodedReply(), 220)
    await io.upgradeTls()
  })
  await connection.execute(Command.of('EHLO', 'netc.demo'))
  await connection.run((io) => runSasl(createSaslMechanism('PLAIN', { username: 'dave', password: 'secret' }), smtpSaslExchange(io)))
  const body = 'Subject: hello from netc\r\n\r\nA line.\n.\nMAIL FROM:<smuggled@example.com>\r\n.leading dot\r\n'
  const [mail, rcpt, data] = await connection.executeAll([
    Command.of('MAIL', 'FROM:<dave@example.com>'),
    Command.of('RCPT', 'TO:<hal@example.com>'),
    Command.of('DATA'),
  ])
  if (mail?.code !== 250 || rcpt?.code !== 250 || data?.code !== 354) throw new Error('the demo server refused the envelope')
  await connection.run(async (io) => {
    write(`   C: <message, ${Buffer.byteLength(body)} bytes, dot-stuffed>`)
    await io.writeDotBody(body)
    io.expect(await io.readCodedReply(), 250)
  })
  await connection.execute(Command.of('QUIT'), { expect: 221 })
  write(`-- TLS: ${connection.tlsInfo?.protocol ?? 'none'}; the server received ${deliveries.length} message(s)`)
  return deliveries
}
