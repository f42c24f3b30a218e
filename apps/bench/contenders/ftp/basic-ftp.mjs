// basic-ftp contender (6.2.3), used as its README shows: Client, access, downloadTo, uploadFrom, list.
// `node basic-ftp.mjs <download|upload|files|pool> ...`; prints one JSON line:
// { workMs, workCpuMs, ops, bytes } (workCpuMs: the process's CPU time during the work).
// basic-ftp has no pool: `pool` runs N clients, each taking the next file from a shared queue.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from 'basic-ftp'

const [mode = '', first = '', second = '', third = '4'] = process.argv.slice(2)
const access = {
  host: process.env.FTP_HOST ?? '127.0.0.1',
  port: Number(process.env.FTP_PORT),
  user: process.env.FTP_USER ?? 'anonymous',
  password: process.env.FTP_PASS ?? '',
  secure: false,
}

async function connect() {
  const client = new Client()
  await client.access(access)
  return client
}

const started = performance.now()
const cpuStart = process.cpuUsage()
let ops = 0
let bytes = 0
if (mode === 'download') {
  const client = await connect()
  await client.downloadTo(second, first)
  client.close()
  ops = 1
  bytes = statSync(second).size
} else if (mode === 'upload') {
  const client = await connect()
  const response = await client.uploadFrom(first, second)
  if (response.code !== 226) throw new Error(`upload: ${response.message}`)
  client.close()
  ops = 1
  bytes = statSync(first).size
} else if (mode === 'files') {
  const client = await connect()
  await client.cd(first)
  for (const entry of await client.list()) {
    if (!entry.isFile) continue
    await client.downloadTo(join(second, entry.name), entry.name)
    bytes += statSync(join(second, entry.name)).size
    ops++
  }
  client.close()
} else if (mode === 'pool') {
  const lister = await connect()
  const queue = (await lister.list(first)).filter((entry) => entry.isFile).map((entry) => entry.name)
  const clients = [lister, ...(await Promise.all(Array.from({ length: Number(third) - 1 }, connect)))]
  await Promise.all(
    clients.map(async (client) => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        await client.downloadTo(join(second, name), `${first}/${name}`)
        bytes += statSync(join(second, name)).size
        ops++
      }
    }),
  )
  for (const client of clients) client.close()
} else {
  throw new Error(`unknown mode ${mode}`)
}
const workMs = performance.now() - started
const { user, system } = process.cpuUsage(cpuStart)
console.log(JSON.stringify({ workMs, workCpuMs: (user + system) / 1000, ops, bytes }))
