/**
 * The NNTP comparisons (issue 7): @netc/nntp beside Python's nntplib (Debian's python3 3.11), against the
 * harness's INN 2.7.1 on 127.0.0.1, plaintext (netc with `tls: 'none'`, nntplib's plain `NNTP`), as an
 * anonymous reader (nnrpd). Groups are filled in setup through the harness's feeding peer (TAKETHIS).
 *
 * - nntp-over: the overview of N articles of one group: netc (plain, and with COMPRESS DEFLATE), nntplib, and
 *   two floors in raw node:net (one OVER; the range in 10 pipelined OVERs). Each run also prints the CPU
 *   time of the nnrpd that served it, so that the table can be read against what INN itself spends.
 * - nntp-article: ARTICLE of N articles: netc pipelined (`articles()`), netc one at a time, nntplib one by one.
 * - nntp-article-2000: the 2,000 articles through netc's pipelining alone (the one-by-one clients
 *   take about 46 ms an article on INN, 90 s for 2,000; nntp-article shows them at a smaller count).
 * - nntp-post: POST of N articles one after another on one connection, then read back.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startInn, type Article, type NntpDaemon } from '@netc/harness'
import type { BenchMode, Comparison, ContenderOutput } from '../compare/comparison.ts'
import {
  articleBody,
  benchArticles,
  bodiesDigest,
  bodyOf,
  expectEqual,
  idsDigest,
  netcScript,
  nntplibScript,
  postTemplates,
  python,
  rawOverScript,
  rawPostScript,
  RawNntp,
  readerCpuMs,
} from './nntp-support.ts'

/** The group the read workloads use (filled by the feed) and the one the posts go to. */
const readGroup = 'netc.misc'
const postGroup = 'netc.test'

/**
 * A started INN, stopped also when the setup after it fails. The start is tried twice: on the shared
 * machine innd once ended before its greeting (a port taken between picking and binding, it seems), and a
 * failing setup ends the whole bench run.
 */
async function withInn<T>(prepare: (daemon: NntpDaemon) => Promise<T>): Promise<T> {
  const daemon = await startInn().catch(async (error: unknown) => {
    console.error(`  INN did not start (${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}), trying again`)
    return startInn()
  })
  try {
    return await prepare(daemon)
  } catch (error) {
    await daemon.stop()
    throw error
  }
}

/** Feeds the articles through the peer and checks that INN took every one (numbers 1..N in feed order). */
async function feedAll(daemon: NntpDaemon, articles: readonly Article[]): Promise<number> {
  for (let start = 0; start < articles.length; start += 5_000) {
    const result = await daemon.feed(articles.slice(start, start + 5_000))
    if (result.rejected.length > 0) throw new Error(`feed: INN rejected ${result.rejected.length}, first: ${result.rejected[0]?.reply ?? ''}`)
  }
  const session = await RawNntp.open(daemon.port)
  try {
    const group = await session.group(readGroup)
    expectEqual(`${readGroup} count after the feed`, group.count, articles.length)
    return group.first
  } finally {
    await session.close()
  }
}

function spec(values: Record<string, unknown>): string {
  return JSON.stringify(values)
}

// ---------------------------------------------------------------------------------------------- OVER

interface ReadContext {
  daemon: NntpDaemon
  first: number
  count: number
  ids: string
  bodies: string
  bodyBytes: number
  /** The `:bytes` total the first verified contender saw; the others must see the same. */
  overviewBytes?: number
  /** innd's PID (its reaped children, the nnrpd readers, count in its CPU times) and their CPU before a run. */
  inndPid: number
  readerCpuBefore: number
}

async function setupRead(count: number, bodyLines: number, prefix: string): Promise<ReadContext> {
  return withInn(async (daemon) => {
    const articles = benchArticles(readGroup, count, bodyLines, prefix)
    const first = await feedAll(daemon, articles)
    const bodies = articles.map(bodyOf)
    const inndPid = Number((await readFile(join(daemon.directory, 'run', 'innd.pid'), 'utf8')).trim())
    return {
      daemon,
      inndPid,
      readerCpuBefore: 0,
      first,
      count,
      ids: idsDigest(articles.map((article) => article.messageId)),
      bodies: bodiesDigest(bodies),
      bodyBytes: bodies.reduce((sum, body) => sum + body.length, 0),
    }
  })
}

function overSpec(c: ReadContext, extra: Record<string, unknown> = {}): string {
  return spec({ port: c.daemon.port, group: readGroup, first: c.first, count: c.count, ...extra })
}

const overComparison: Comparison<ReadContext> = {
  name: 'nntp-over',
  group: 'nntp',
  title: 'NNTP: OVER of 20,000 articles in one group (quick 500), INN 2.7.1',
  baseline: 'netc',
  setup: (mode: BenchMode) => setupRead(mode === 'quick' ? 500 : 20_000, 3, 'over'),
  contenders: [
    { name: 'netc', command: (c) => ({ argv: [process.execPath, netcScript, 'over', overSpec(c)] }) },
    { name: 'netc, COMPRESS DEFLATE', command: (c) => ({ argv: [process.execPath, netcScript, 'over', overSpec(c, { compress: true })] }) },
    { name: 'nntplib', command: (c) => ({ argv: [python, nntplibScript, 'over', overSpec(c)] }) },
    { name: 'raw net, one OVER', command: (c) => ({ argv: [process.execPath, rawOverScript, overSpec(c)] }) },
    { name: 'raw net, 10 OVERs pipelined', command: (c) => ({ argv: [process.execPath, rawOverScript, overSpec(c, { ranges: 10 })] }) },
  ],
  async beforeRun(context) {
    context.readerCpuBefore = await readerCpuMs(context.inndPid)
  },
  async verify(context, contender, output: ContenderOutput) {
    console.log(`  nntp-over ${contender}: nnrpd ${await readerCpuMs(context.inndPid, context.readerCpuBefore) - context.readerCpuBefore} ms CPU`)
    if (contender.includes('COMPRESS') && output.compressed !== true) throw new Error(`${contender}: COMPRESS DEFLATE was not active`)
    expectEqual(`${contender} overview lines`, output.ops, context.count)
    expectEqual(`${contender} message-id digest`, output.idsSha256, context.ids)
    if (typeof output.bytes !== 'number' || output.bytes <= 0) throw new Error(`${contender}: no :bytes total`)
    context.overviewBytes ??= output.bytes
    expectEqual(`${contender} :bytes total`, output.bytes, context.overviewBytes)
  },
  teardown: (context) => context.daemon.stop(),
}

// ------------------------------------------------------------------------------------------- ARTICLE

/** About 2 KiB bodies: 28 lines of 72 to 74 characters. */
const articleBodyLines = 28

function verifyArticles(context: ReadContext, contender: string, output: ContenderOutput): void {
  expectEqual(`${contender} articles fetched`, output.ops, context.count)
  expectEqual(`${contender} body bytes`, output.bytes, context.bodyBytes)
  expectEqual(`${contender} message-id digest`, output.idsSha256, context.ids)
  expectEqual(`${contender} body digest`, output.bodiesSha256, context.bodies)
}

function articleSpec(c: ReadContext): string {
  return spec({ port: c.daemon.port, group: readGroup, first: c.first, count: c.count, window: 64 })
}

const articleComparison: Comparison<ReadContext> = {
  name: 'nntp-article',
  group: 'nntp',
  title: 'NNTP: ARTICLE of 500 articles of 2 KiB (quick 50): pipelined vs one by one, INN 2.7.1',
  baseline: 'netc articles()',
  setup: (mode: BenchMode) => setupRead(mode === 'quick' ? 50 : 500, articleBodyLines, 'article'),
  contenders: [
    { name: 'netc articles()', command: (c) => ({ argv: [process.execPath, netcScript, 'article-pipelined', articleSpec(c)] }) },
    { name: 'netc one at a time', command: (c) => ({ argv: [process.execPath, netcScript, 'article-serial', articleSpec(c)] }) },
    { name: 'nntplib', command: (c) => ({ argv: [python, nntplibScript, 'article', articleSpec(c)] }) },
  ],
  verify: verifyArticles,
  teardown: (context) => context.daemon.stop(),
}

const article2000Comparison: Comparison<ReadContext> = {
  name: 'nntp-article-2000',
  group: 'nntp',
  title: 'NNTP: ARTICLE of 2,000 articles of 2 KiB (quick 200) through netc pipelining (target < 1 s), INN 2.7.1',
  baseline: 'netc articles()',
  setup: (mode: BenchMode) => setupRead(mode === 'quick' ? 200 : 2_000, articleBodyLines, 'article2k'),
  contenders: [{ name: 'netc articles()', command: (c) => ({ argv: [process.execPath, netcScript, 'article-pipelined', articleSpec(c)] }) }],
  verify: verifyArticles,
  teardown: (context) => context.daemon.stop(),
}

// ---------------------------------------------------------------------------------------------- POST

/** About 1 KiB bodies. */
const postBodyLines = 14

interface PostContext {
  daemon: NntpDaemon
  directory: string
  templateFile: string
  count: number
  /** Set by beforeRun: this run's tag (in Subject and Message-ID) and the group's last number before it. */
  tag: string
  lastBefore: number
  runs: number
}

const postComparison: Comparison<PostContext> = {
  name: 'nntp-post',
  group: 'nntp',
  title: 'NNTP: POST of 500 articles of 1 KiB one after another (quick 20), INN 2.7.1',
  baseline: 'netc',
  setup: (mode: BenchMode) =>
    withInn(async (daemon) => {
      const count = mode === 'quick' ? 20 : 500
      const directory = await mkdtemp(join(tmpdir(), 'netc-bench-nntp-'))
      const templateFile = join(directory, 'post-articles.json')
      await writeFile(templateFile, JSON.stringify(postTemplates(postGroup, count, postBodyLines)))
      return { daemon, directory, templateFile, count, tag: '', lastBefore: 0, runs: 0 }
    }),
  async beforeRun(context, contender) {
    context.runs++
    context.tag = `${contender.replace(/[^a-z0-9]+/gi, '')}-${process.pid}-${context.runs}`
    const session = await RawNntp.open(context.daemon.port)
    try {
      context.lastBefore = (await session.group(postGroup)).last
    } finally {
      await session.close()
    }
  },
  contenders: [
    {
      name: 'netc',
      command: (c) => ({ argv: [process.execPath, netcScript, 'post', spec({ port: c.daemon.port, postFile: c.templateFile, tag: c.tag })] }),
    },
    {
      name: 'nntplib',
      command: (c) => ({ argv: [python, nntplibScript, 'post', spec({ port: c.daemon.port, postFile: c.templateFile, tag: c.tag })] }),
    },
    {
      name: 'raw node:net',
      command: (c) => ({ argv: [process.execPath, rawPostScript, spec({ port: c.daemon.port, postFile: c.templateFile, tag: c.tag })] }),
    },
  ],
  async verify(context, contender, output) {
    expectEqual(`${contender} articles posted`, output.ops, context.count)
    // Read back: every posted Message-ID in the group's overview, and the last article's body intact.
    const expected = new Set(Array.from({ length: context.count }, (_, i) => `<post-${context.tag}-${i}@bench.netc.test>`))
    const session = await RawNntp.open(context.daemon.port)
    try {
      let seen = 0
      const deadline = Date.now() + 10_000
      do {
        await session.group(postGroup)
        const { status, lines } = await session.multiline(`OVER ${context.lastBefore + 1}-`, '224')
        if (!status.startsWith('224') && !status.startsWith('423')) throw new Error(`verify: OVER answered ${status}`)
        seen = lines.filter((line) => expected.has(line.split('\t')[4] ?? '')).length
      } while (seen < context.count && Date.now() < deadline && (await new Promise((resolve) => setTimeout(resolve, 100, true))))
      expectEqual(`${contender} posted articles in the overview`, seen, context.count)
      const last = context.count - 1
      const { status, lines } = await session.multiline(`BODY <post-${context.tag}-${last}@bench.netc.test>`, '222')
      if (!status.startsWith('222')) throw new Error(`verify: BODY of the last post answered ${status}`)
      expectEqual(`${contender} body of the last post`, `${lines.join('\r\n')}\r\n`, articleBody(last, postBodyLines))
    } finally {
      await session.close()
    }
  },
  async teardown(context) {
    try {
      await context.daemon.stop()
    } finally {
      await rm(context.directory, { recursive: true, force: true })
    }
  },
}

/** The nntp comparisons (issue 7: @netc/nntp beside Python's nntplib). */
export const nntpComparisons: Array<Comparison<unknown>> = [
  overComparison,
  articleComparison,
  article2000Comparison,
  postComparison,
]
