import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { InvalidArgumentError } from '../errors/index.ts'
import { parseNetrc, type NetrcEntry } from './parse-netrc.ts'

/** ReadNetrcOptions: where to look. */
export interface ReadNetrcOptions {
  /** The file to read; wins over `NETRC` and the home directory. */
  path?: string
  /** The environment to read `NETRC` and `HOME` from; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>
}

/**
 * netrcPath: the netrc file that `readNetrc` reads: `options.path`, else `$NETRC` when set and not
 * empty, else `.netrc` in the home directory (`$HOME`, then `os.homedir()`), as curl and Python do.
 */
export function netrcPath(options: ReadNetrcOptions = {}): string {
  const env = options.env ?? process.env
  if (options.path !== undefined) return options.path
  const fromEnv = env['NETRC']
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  return join(env['HOME'] || homedir(), '.netrc')
}

/**
 * readNetrc: the entries of the user's netrc file (see `parseNetrc`), `[]` when there is none.
 *
 * ```ts
 * const entry = lookupNetrc(await readNetrc(), 'ftp.example.com')   // machine ftp.example.com login dave ...
 * ```
 * A missing file is an empty list, not an error; an unreadable or malformed one is an
 * `InvalidArgumentError` naming the file (its `cause` is the system or parse error).
 */
export async function readNetrc(options: ReadNetrcOptions = {}): Promise<NetrcEntry[]> {
  const path = netrcPath(options)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new InvalidArgumentError(`cannot read the netrc file ${path}`, { cause })
  }
  try {
    return parseNetrc(text)
  } catch (cause) {
    throw new InvalidArgumentError(`${path}: ${(cause as Error).message}`, { cause })
  }
}
