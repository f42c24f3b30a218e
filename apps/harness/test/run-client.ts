import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** How a client program ended: exit code and both outputs (never throws on a non-zero exit). */
export interface ClientResult {
  readonly code: number
  readonly stdout: Buffer
  readonly stderr: string
}

/** Runs a client nobody here wrote (curl, python3) with a timeout; input goes to its stdin. */
export function runClient(file: string, args: readonly string[], input?: Buffer | string, timeoutMs = 20_000): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`${file} did not run: ${error.message}\n${stderr.toString()}`, { cause: error }))
        return
      }
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr: stderr.toString() })
    })
    child.stdin?.end(input ?? '')
  })
}

/** curl with a 15 s cap, silent but with errors shown. */
export function curl(args: readonly string[], input?: Buffer | string): Promise<ClientResult> {
  return runClient('curl', ['--silent', '--show-error', '--max-time', '15', ...args], input)
}

/** A scratch directory for upload sources and downloads; remove() when done. */
export async function scratch(): Promise<{ path: string; file(name: string, content: Buffer | string): Promise<string>; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'netc-client-'))
  return {
    path,
    async file(name, content) {
      const file = join(path, name)
      await writeFile(file, content)
      return file
    },
    remove: () => rm(path, { recursive: true, force: true }),
  }
}
