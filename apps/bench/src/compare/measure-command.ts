import { spawn } from 'node:child_process'
import type { ContenderCommand, ContenderOutput } from './comparison.ts'

/** What one timed process gave: GNU time's figures and the contender's own JSON. */
export interface CommandMeasurement {
  processMs: number
  cpuMs: number
  maxRssMiB: number
  output: ContenderOutput
}

const MARK = 'NETC_TIME'

/**
 * measureCommand: runs a contender under GNU time (`/usr/bin/time`: wall seconds, user and system CPU,
 * peak RSS in KiB) and parses the JSON line it prints last. Rejects on a non-zero exit, on a missing
 * JSON line, and after `timeoutMs` (the process is killed by its PID).
 */
export function measureCommand(command: ContenderCommand, timeoutMs: number): Promise<CommandMeasurement> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', `${MARK} %e %U %S %M`, ...command.argv], {
      env: { ...process.env, ...command.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout = (stdout + text).slice(-64 * 1024)))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-64 * 1024)))
    child.stdin.end(command.stdin ?? '')
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      const timeLine = stderr.split('\n').find((line) => line.startsWith(MARK))
      const jsonLine = stdout.trim().split('\n').at(-1) ?? ''
      if (code !== 0 || timeLine === undefined) {
        const why = signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : `exit ${String(code)}`
        reject(new Error(`${command.argv.join(' ')}: ${why}\n${stderr.slice(-2000)}`))
        return
      }
      const [, wall = '0', user = '0', system = '0', rss = '0'] = timeLine.split(' ')
      let output: ContenderOutput
      try {
        output = JSON.parse(jsonLine) as ContenderOutput
      } catch {
        reject(new Error(`${command.argv.join(' ')}: no JSON on its last line: ${jsonLine.slice(0, 200)}`))
        return
      }
      resolve({
        processMs: Number(wall) * 1000,
        cpuMs: (Number(user) + Number(system)) * 1000,
        maxRssMiB: Number(rss) / 1024,
        output,
      })
    })
  })
}
