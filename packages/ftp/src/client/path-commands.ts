import { Command, ProtocolError, ReplyError, type ConnectionIo } from '@netc/transport'
import { parsePwd } from '../parsers/parse-pwd.ts'

/** command: one command, its reply checked against `expect` (default any 2xx). */
export async function simpleCommand(io: ConnectionIo, command: Command, expect: number | readonly number[] = 2): Promise<string> {
  await io.send(command)
  return io.expect(await io.readCodedReply(), expect, command).lines.join('\n')
}

/** printWorkingDirectory: PWD → the quoted path of the 257 reply (RFC 959 section 4.1.3). */
export async function printWorkingDirectory(io: ConnectionIo): Promise<string> {
  return parsePwd(await simpleCommand(io, Command.of('PWD'), 257))
}

/** rename: RNFR (350) then RNTO (250) (RFC 959 section 4.1.3). */
export async function renamePath(io: ConnectionIo, from: string, to: string): Promise<void> {
  await simpleCommand(io, Command.of('RNFR', from), 350)
  await simpleCommand(io, Command.of('RNTO', to))
}

/**
 * makeDirectories: `mkdir -p` over FTP: walks the path with CWD, making what is missing with MKD, and
 * comes back to the working directory it started in.
 *
 * ```
 * C: CWD /   C: CWD a  S: 550   C: MKD a  S: 257   C: CWD a  ...   C: CWD /home/dave
 * ```
 */
export async function makeDirectories(io: ConnectionIo, path: string): Promise<void> {
  const start = await printWorkingDirectory(io)
  try {
    if (path.startsWith('/')) await simpleCommand(io, Command.of('CWD', '/'))
    for (const segment of path.split('/').filter((part) => part !== '' && part !== '.')) {
      try {
        await simpleCommand(io, Command.of('CWD', segment))
      } catch (error) {
        if (!ReplyError.isInstance(error) || !error.isPermanent) throw error
        await simpleCommand(io, Command.of('MKD', segment), 257)
        await simpleCommand(io, Command.of('CWD', segment))
      }
    }
  } finally {
    await simpleCommand(io, Command.of('CWD', start))
  }
}

/** assertSafeName: a server-supplied name used to build a path must be one segment (no `/`, `.`, `..`). */
export function assertSafeName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0')) {
    throw new ProtocolError(`the server listed an unsafe name: ${JSON.stringify(name)}`)
  }
}

/** joinRemote: `dir` + `/` + `name`. */
export function joinRemote(directory: string, name: string): string {
  return directory.endsWith('/') ? `${directory}${name}` : `${directory}/${name}`
}
