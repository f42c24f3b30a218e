// @netc/nntp contender of the NNTP comparisons (apps/bench/src/comparisons/nntp.ts).
// usage: node netc.mjs <over|article-pipelined|article-serial|post> '<spec JSON>'
// spec: { port, group, first, count, window?, compress?, postFile?, tag? }. Prints one JSON line last.
// compress: COMPRESS DEFLATE (RFC 8054) when the server offers it; the output says whether it was active.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { NntpClient } from '@netc/nntp'

const [workload, specJson] = process.argv.slice(2)
const spec = JSON.parse(specJson)

function* numbers(first, count) {
  for (let n = first; n < first + count; n++) yield n
}

async function over(news) {
  const ids = createHash('sha256')
  let ops = 0
  let bytes = 0
  await news.group(spec.group)
  for await (const entry of news.overview({ from: spec.first, to: spec.first + spec.count - 1 })) {
    ops++
    bytes += entry.bytes ?? 0
    ids.update(`${entry.messageId}\n`)
  }
  return { ops, bytes, idsSha256: ids.digest('hex') }
}

async function articles(news, pipelined) {
  const ids = createHash('sha256')
  const bodies = createHash('sha256')
  let ops = 0
  let bytes = 0
  await news.group(spec.group)
  const take = (article) => {
    ops++
    bytes += article.body.length
    ids.update(`${article.messageId}\n`)
    bodies.update(article.body)
  }
  if (pipelined) {
    for await (const result of news.articles(numbers(spec.first, spec.count), { window: spec.window ?? 64 })) {
      if (!result.ok) throw result.error
      take(result.article)
    }
  } else {
    for (const n of numbers(spec.first, spec.count)) take(await news.article(n))
  }
  return { ops, bytes, idsSha256: ids.digest('hex'), bodiesSha256: bodies.digest('hex') }
}

const postArticles =
  workload === 'post' ? JSON.parse(readFileSync(spec.postFile, 'utf8')).map((text) => text.replaceAll('@@TAG@@', spec.tag)) : []

async function post(news) {
  let ops = 0
  let bytes = 0
  for (const article of postArticles) {
    const result = await news.post(article)
    if (result.code !== 240) throw new Error(`POST answered ${result.code}`)
    ops++
    bytes += Buffer.byteLength(article)
  }
  return { ops, bytes }
}

const since = (t) => Number(process.hrtime.bigint() - t) / 1e6
const start = process.hrtime.bigint()
const cpuStart = process.cpuUsage()
const news = await NntpClient.connect({ host: '127.0.0.1', port: spec.port, tls: 'none', compress: spec.compress === true })
const compressed = news.compressed
const connectMs = since(start)
let figures
let closing
try {
  if (workload === 'over') figures = await over(news)
  else if (workload === 'article-pipelined') figures = await articles(news, true)
  else if (workload === 'article-serial') figures = await articles(news, false)
  else if (workload === 'post') figures = await post(news)
  else throw new Error(`unknown workload ${workload}`)
} finally {
  closing = process.hrtime.bigint()
  await news.close()
}
const workMs = since(start)
const { user, system } = process.cpuUsage(cpuStart)
// connectMs: greeting, CAPABILITIES (and MODE READER when asked for); closeMs: QUIT. Both are inside workMs.
// workCpuMs: the process's CPU over the same span (start-up and imports excluded).
console.log(JSON.stringify({ workMs, workCpuMs: (user + system) / 1000, connectMs, closeMs: since(closing), compressed, ...figures }))
