import { decodeDotBody } from '@netc/transport'
import { TestServer, type TestSession } from '@netc/transport/testing'

/** What the demo's toy mail server took in: the envelope and the message as delivered. */
export interface DemoDelivery {
  from: string
  to: string[]
  message: Buffer
}

/**
 * startDemoMailServer: a toy ESMTP server on 127.0.0.1, port 0, for `netc demo` until @netc/smtp brings its
 * own fake: greeting, EHLO, STARTTLS with a throwaway certificate, AUTH PLAIN, MAIL/RCPT/DATA, QUIT.
 */
export async function startDemoMailServer(deliveries: DemoDelivery[]): Promise<TestServer> {
  return TestServer.start({ onSession: (session) => serve(session, deliveries) })
}

async function serve(session: TestSession, deliveries: DemoDelivery[]): Promise<void> {
  await session.writeLine('220 demo.netc ESMTP ready')
  let envelope: { from: string; to: string[] } = { from: '', to: [] }
  for (;;) {
    const line = await session.readLine()
    if (line === undefined) return
    const [verb = '', ...rest] = line.split(' ')
    switch (verb.toUpperCase()) {
      case 'EHLO': {
        const starttls = session.encrypted ? [] : ['250-STARTTLS']
        await session.write([`250-demo.netc greets ${rest.join(' ')}`, ...starttls, '250-PIPELINING', '250-AUTH PLAIN', '250 8BITMIME', ''].join('\r\n'))
        break
      }
      case 'STARTTLS':
        await session.writeLine('220 go ahead')
        await session.upgradeTls()
        break
      case 'AUTH':
        await session.writeLine(session.encrypted ? '235 2.7.0 authenticated' : '538 5.7.11 encryption required')
        break
      case 'MAIL':
        envelope = { from: line.slice(line.indexOf(':') + 1), to: [] }
        await session.writeLine('250 2.1.0 ok')
        break
      case 'RCPT':
        envelope.to.push(line.slice(line.indexOf(':') + 1))
        await session.writeLine('250 2.1.5 ok')
        break
      case 'DATA': {
        await session.writeLine('354 end with <CRLF>.<CRLF>')
        const wire = await session.readUntil('\r\n.\r\n', { include: true })
        if (wire === undefined) return
        deliveries.push({ ...envelope, message: decodeDotBody(wire).body })
        await session.writeLine('250 2.0.0 queued')
        break
      }
      case 'QUIT':
        await session.writeLine('221 2.0.0 bye')
        await session.close()
        return
      default:
        await session.writeLine('502 5.5.1 unknown command')
    }
  }
}
