// @netc/ftp contender: `node netc.mjs <download|upload|files|dir|pool> ...` against FTP_HOST/FTP_PORT as
// FTP_USER/FTP_PASS (plain FTP, passive). Prints one JSON line: { workMs, workCpuMs, ops, bytes }. The
// time (and workCpuMs, the process's CPU) covers connect, login, the work and QUIT; module loading is excluded.
import { join } from 'node:path'
import { FtpClient, FtpPool } from '@netc/ftp'

const [mode = '', first = '', second = '', third = '4'] = process.argv.slice(2)
const target = {
  host: process.env.FTP_HOST ?? '127.0.0.1',
  port: Number(process.env.FTP_PORT),
  user: process.env.FTP_USER ?? 'anonymous',
  password: process.env.FTP_PASS ?? '',
  // NETC_FTP_PIPELINING=1: EPSV and the transfer command in one write (the `pipelining` option, off by default)
  ...(process.env.NETC_FTP_PIPELINING === '1' ? { pipelining: true } : {}),
}

const started = performance.now()
const cpuStart = process.cpuUsage()
let ops = 0
let bytes = 0
// Node 20 has no `await using` in JavaScript: try/finally with close() (QUIT) does the same.
if (mode === 'pool') {
  // pool <remoteDir> <localDir> <connections>: list once, then download over a pool
  const pool = await FtpPool.connect(target, { size: Number(third) })
  try {
    const entries = await pool.run((client) => client.list(first))
    const sizes = await Promise.all(
      entries.filter((entry) => entry.type === 'file').map((entry) => pool.download(`${first}/${entry.name}`, join(second, entry.name))),
    )
    ops = sizes.length
    bytes = sizes.reduce((sum, size) => sum + size, 0)
  } finally {
    await pool.close()
  }
} else {
  const ftp = await FtpClient.connect(target)
  try {
    if (mode === 'download') {
      // download <remote> <local>
      bytes = await ftp.download(first, second)
      ops = 1
    } else if (mode === 'upload') {
      // upload <local> <remote>
      bytes = await ftp.upload(first, second)
      ops = 1
    } else if (mode === 'dir') {
      // dir <remoteDir> <localDir>: the same work through downloadDir (files queued 8 at a time)
      const result = await ftp.downloadDir(first, second)
      ops = result.files
      bytes = result.bytes
    } else if (mode === 'files') {
      // files <remoteDir> <localDir>: list the directory, download every file, on one connection
      await ftp.cd(first)
      for (const entry of await ftp.list()) {
        if (entry.type !== 'file') continue
        bytes += await ftp.download(entry.name, join(second, entry.name))
        ops++
      }
    } else {
      throw new Error(`unknown mode ${mode}`)
    }
  } finally {
    await ftp.close()
  }
}
const workMs = performance.now() - started
const { user, system } = process.cpuUsage(cpuStart)
console.log(JSON.stringify({ workMs, workCpuMs: (user + system) / 1000, ops, bytes }))
