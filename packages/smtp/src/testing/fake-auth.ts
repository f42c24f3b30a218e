import type { TestSession } from '@netc/transport/testing'

/**
 * fakeAuth: the server side of `AUTH PLAIN` and `AUTH LOGIN` (RFC 4954, RFC 4616), with or without an
 * initial response; `*` cancels (501). Returns the user on success (after `235`), undefined otherwise.
 */
export async function fakeAuth(
  session: TestSession,
  args: string[],
  users: Readonly<Record<string, string>>,
  mechanisms: readonly string[],
): Promise<string | undefined> {
  const mechanism = (args[0] ?? '').toUpperCase()
  if (!mechanisms.includes(mechanism)) {
    await session.writeLine('504 5.5.4 Unrecognized authentication type')
    return undefined
  }
  const ask = async (challenge: string): Promise<string | undefined> => {
    await session.writeLine(`334 ${Buffer.from(challenge).toString('base64')}`)
    const line = await session.readLine()
    return line === undefined || line === '*' ? undefined : line
  }
  const initial = args[1] === '=' ? '' : args[1]
  let user: string | undefined
  let pass: string | undefined
  if (mechanism === 'PLAIN') {
    const response = initial ?? (await ask(''))
    if (response === undefined) return cancelled(session)
    const [, authcid, password] = Buffer.from(response, 'base64').toString('utf8').split('\0')
    ;[user, pass] = [authcid, password]
  } else {
    const name = initial ?? (await ask('Username:'))
    if (name === undefined) return cancelled(session)
    const password = await ask('Password:')
    if (password === undefined) return cancelled(session)
    ;[user, pass] = [Buffer.from(name, 'base64').toString('utf8'), Buffer.from(password, 'base64').toString('utf8')]
  }
  if (user !== undefined && pass !== undefined && Object.hasOwn(users, user) && users[user] === pass) {
    await session.writeLine('235 2.7.0 Authentication successful')
    return user
  }
  await session.writeLine('535 5.7.8 Error: authentication failed')
  return undefined
}

async function cancelled(session: TestSession): Promise<undefined> {
  await session.writeLine('501 5.7.0 Authentication cancelled')
  return undefined
}
