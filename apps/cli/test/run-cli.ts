import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The built CLI. */
export const netcPath = fileURLToPath(new URL('../dist/netc.js', import.meta.url))

/** CliRun: how a run of the CLI ended. */
export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** CliOptions: stdin, working directory, environment and a time bound for one run. */
export interface CliOptions {
  input?: string | Buffer
  cwd?: string
  env?: Record<string, string | undefined>
  timeoutMs?: number
}

/** runCli: `node dist/netc.js ...args` as a child process, killed (and the test failed) if it outlives `timeoutMs`. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [netcPath, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`netc ${args.join(' ')} did not end within ${options.timeoutMs ?? 20_000} ms; stderr: ${Buffer.concat(stderr).toString()}`))
    }, options.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') })
    })
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? '')
  })
}

/** PtyStep: wait for `expect` on the terminal, then type `send`. */
export interface PtyStep {
  expect: string
  send: string
}

/**
 * runCliInPty: the CLI on a pseudo-terminal (util-linux `script`, no native module), typed at step by
 * step; resolves with the exit code and everything the terminal showed.
 */
export function runCliInPty(
  args: readonly string[],
  steps: readonly PtyStep[],
  { timeoutMs = 20_000, env = {} }: { timeoutMs?: number; env?: Record<string, string | undefined> } = {},
): Promise<{ code: number | null; screen: string }> {
  const quoted = [process.execPath, netcPath, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', quoted, '/dev/null'], { env: { ...process.env, NO_COLOR: '1', TERM: 'dumb', ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let screen = ''
    let next = 0
    const onOutput = (chunk: Buffer): void => {
      screen += chunk.toString('utf8')
      const step = steps[next]
      if (step !== undefined && screen.includes(step.expect)) {
        next += 1
        child.stdin.write(step.send)
      }
    }
    child.stdout.on('data', onOutput)
    child.stderr.on('data', onOutput)
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`netc ${args.join(' ')} on a pty did not end within ${timeoutMs} ms; the screen:\n${screen}`))
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, screen })
    })
  })
}
