import { execFile } from 'node:child_process'

/** What a finished command printed. */
export interface CommandResult {
  readonly stdout: string
  readonly stderr: string
}

/** Options for {@link runCommand}. */
export interface RunCommandOptions {
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  readonly input?: string
  readonly timeoutMs?: number
  readonly uid?: number
  readonly gid?: number
}

/**
 * Runs a short command (openssl, useradd, postfix check, ctlinnd...) to completion with a timeout;
 * rejects with its stderr in the message when it exits non-zero.
 */
export function runCommand(file: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 30_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        uid: options.uid,
        gid: options.gid,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = `${stderr}${stdout}`.trim()
          reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}${detail ? `\n${detail}` : ''}`, { cause: error }))
        } else {
          resolve({ stdout, stderr })
        }
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
}
