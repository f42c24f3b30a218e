/**
 * The ftp comparisons (issue 4): @netc/ftp beside basic-ftp, curl and Python's ftplib against the harness's
 * vsftpd (plain FTP, passive), each contender its own process: a big download, a big upload, small files
 * listed and downloaded on one connection, and the same small files over 4 connections.
 * Contender scripts: apps/bench/contenders/ftp/ (netc.mjs, basic-ftp.mjs, py-ftplib.py, curl.sh; raw.mjs, the
 * small-files floor).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startVsftpd, type DaemonUser, type FtpDaemon } from '@netc/harness'
import type { BenchMode, Comparison, Contender, ContenderCommand, ContenderOutput } from '../compare/comparison.ts'
import { memoryDirectory } from '../compare/memory-directory.ts'
import { checkBigFile, checkSmallFiles, sampledDigest, writeRandomFile, writeSmallFiles } from './ftp-data.ts'

const contenderDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../../contenders/ftp')
const MiB = 1024 * 1024

/** The sizes of each mode: the in full, small enough in quick for a CI smoke run. */
const sizes = {
  full: { bigBytes: 1024 * MiB, smallFiles: 1000 },
  quick: { bigBytes: 16 * MiB, smallFiles: 50 },
} as const
const SMALL_FILE_BYTES = 4 * 1024
const POOL_CONNECTIONS = 4
const SMALL_DIRECTORY = 'small'

/** What every ftp contender gets: the daemon, the user it logs in as, its FTP root and a local work dir. */
interface FtpContext {
  daemon: FtpDaemon
  user: DaemonUser
  /** The user's FTP root on disk (the server side). */
  root: string
  /** A temp dir of ours: download targets or the upload source. */
  work: string
}

/** The command of one contender: each client's script, run with the mode and its arguments. */
type Client = 'netc' | 'basic-ftp' | 'ftplib' | 'curl' | 'raw node:net'
const clients: readonly Client[] = ['netc', 'basic-ftp', 'ftplib', 'curl']
/** The small-files cases add a floor: what plain node:net does with no library around it (contenders/ftp/raw.mjs). */
const smallFileClients: readonly Client[] = [...clients, 'raw node:net']

function clientCommand(client: Client, context: FtpContext, args: string[]): ContenderCommand {
  const env = {
    FTP_HOST: context.daemon.host,
    FTP_PORT: String(context.daemon.port),
    FTP_USER: context.user.user,
    FTP_PASS: context.user.pass,
  }
  const script = (name: string): string => join(contenderDirectory, name)
  switch (client) {
    case 'netc':
      return { argv: [process.execPath, script('netc.mjs'), ...args], env }
    case 'basic-ftp':
      return { argv: [process.execPath, script('basic-ftp.mjs'), ...args], env }
    case 'ftplib':
      return { argv: ['/usr/bin/python3', script('py-ftplib.py'), ...args], env }
    case 'curl':
      return { argv: ['/bin/bash', script('curl.sh'), ...args], env }
    case 'raw node:net':
      return { argv: [process.execPath, script('raw.mjs'), ...args], env }
  }
}

function contenders<Context extends FtpContext>(args: (context: Context) => string[], of: readonly Client[] = clients): Array<Contender<Context>> {
  return of.map((client) => ({ name: client, command: (context: Context) => clientCommand(client, context, args(context)) }))
}

/** netc's downloadDir on the small files: the same listing and downloads, files queued 8 at a time on the connection. */
const netcDownloadDir: Contender<SmallFilesContext> = {
  name: 'netc downloadDir',
  command: (context) => clientCommand('netc', context, ['dir', SMALL_DIRECTORY, context.target]),
}

/** netc with `pipelining: true` (EPSV and RETR in one write once EPSV has worked; off by default). */
function netcPipelining(args: (context: SmallFilesContext) => string[]): Contender<SmallFilesContext> {
  return {
    name: 'netc pipelining',
    command: (context) => {
      const command = clientCommand('netc', context, args(context))
      return { ...command, env: { ...command.env, NETC_FTP_PIPELINING: '1' } }
    },
  }
}

/** startFtp: vsftpd (plain FTP; no implicit instance) and a work dir; both removed again if `prepare` fails. */
async function startFtp<Extra>(prepare: (base: FtpContext) => Promise<Extra>): Promise<FtpContext & Extra> {
  const daemon = await startVsftpd({ implicitTls: false })
  let work: string | undefined
  try {
    const user = daemon.users[0]
    if (user === undefined) throw new Error('vsftpd has no user')
    const root = daemon.roots[user.user]
    if (root === undefined) throw new Error(`vsftpd has no root for ${user.user}`)
    work = await mkdtemp(join(tmpdir(), 'netc-bench-ftp-'))
    const base: FtpContext = { daemon, user, root, work }
    return { ...base, ...(await prepare(base)) }
  } catch (error) {
    await stopFtp({ daemon, work })
    throw error
  }
}

async function stopFtp(context: { daemon: FtpDaemon; work: string | undefined }): Promise<void> {
  try {
    if (context.work !== undefined) await rm(context.work, { recursive: true, force: true })
  } finally {
    await context.daemon.stop()
  }
}

function checkCounts(output: ContenderOutput, ops: number, bytes: number): void {
  if (output.ops !== ops || output.bytes !== bytes) {
    throw new Error(`did ${String(output.ops)} ops / ${String(output.bytes)} bytes, not ${ops} / ${bytes}`)
  }
}

/** Emptying a directory between runs (download targets). */
async function emptyDirectory(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true })
  await mkdir(path)
}

interface BigFileContext extends FtpContext {
  size: number
  digest: string
  /** big download: where the contender writes; big upload: the local source. */
  local: string
}

const BIG_REMOTE = 'big.bin'
const UPLOAD_REMOTE = 'upload.bin'

const download: Comparison<BigFileContext> = {
  name: 'ftp-download',
  group: 'ftp',
  title: 'FTP: one big file downloaded (vsftpd, plain, passive)',
  baseline: 'netc',
  setup: (mode: BenchMode) =>
    startFtp(async ({ root, work }) => {
      const size = sizes[mode].bigBytes
      await writeRandomFile(join(root, BIG_REMOTE), size)
      return { size, digest: await sampledDigest(join(root, BIG_REMOTE)), local: join(work, 'downloads', BIG_REMOTE) }
    }),
  contenders: contenders((context) => ['download', BIG_REMOTE, context.local]),
  beforeRun: (context) => emptyDirectory(dirname(context.local)),
  async verify(context, _contender, output) {
    checkCounts(output, 1, context.size)
    await checkBigFile(context.local, context.size, context.digest)
    await rm(context.local)
  },
  teardown: stopFtp,
}

const upload: Comparison<BigFileContext> = {
  name: 'ftp-upload',
  group: 'ftp',
  title: 'FTP: one big file uploaded (vsftpd, plain, passive)',
  baseline: 'netc',
  setup: (mode: BenchMode) =>
    startFtp(async ({ work }) => {
      const size = sizes[mode].bigBytes
      const local = join(work, BIG_REMOTE)
      await writeRandomFile(local, size)
      return { size, digest: await sampledDigest(local), local }
    }),
  contenders: contenders((context) => ['upload', context.local, UPLOAD_REMOTE]),
  beforeRun: async (context) => {
    await rm(join(context.root, UPLOAD_REMOTE), { force: true })
  },
  async verify(context, _contender, output) {
    checkCounts(output, 1, context.size)
    const target = join(context.root, UPLOAD_REMOTE)
    await checkBigFile(target, context.size, context.digest)
    await rm(target)
  },
  teardown: stopFtp,
}

interface SmallFilesContext extends FtpContext {
  digests: Map<string, string>
  /** Where the contender writes the files. */
  target: string
  /** The temp dir on a memory file system that holds `target`, when there is one (removed at teardown). */
  memory: string | undefined
}

/**
 * smallFilesTarget: the small files' download directory, on a memory file system when there is one: on
 * this project's ext4 each file create (openat) cost about 490 us, which dominated every client (ftplib
 * spent 1.18 s of 2.1 s in openat), so the disk, not the client, was measured. Elsewhere: in `work`.
 */
async function smallFilesTarget(work: string): Promise<{ target: string; memory: string | undefined }> {
  const parent = memoryDirectory()
  const memory = parent === undefined ? undefined : await mkdtemp(join(parent, 'netc-bench-ftp-'))
  return { target: join(memory ?? work, 'downloads'), memory }
}

function smallFiles(
  name: string,
  title: string,
  args: (context: SmallFilesContext) => string[],
  extra: Array<Contender<SmallFilesContext>> = [],
): Comparison<SmallFilesContext> {
  return {
    name,
    group: 'ftp',
    title,
    baseline: 'netc',
    setup: (mode: BenchMode) =>
      startFtp(async ({ root, work }) => ({
        digests: await writeSmallFiles(join(root, SMALL_DIRECTORY), sizes[mode].smallFiles, SMALL_FILE_BYTES),
        ...(await smallFilesTarget(work)),
      })),
    contenders: [...contenders(args, smallFileClients), ...extra],
    beforeRun: (context) => emptyDirectory(context.target),
    async verify(context, _contender, output) {
      checkCounts(output, context.digests.size, context.digests.size * SMALL_FILE_BYTES)
      await checkSmallFiles(context.target, context.digests)
    },
    async teardown(context) {
      try {
        if (context.memory !== undefined) await rm(context.memory, { recursive: true, force: true })
      } finally {
        await stopFtp(context)
      }
    },
  }
}

/** The floor again, with the next file's EPSV and RETR sent as soon as the current 150 is in (raw.mjs files-ahead). */
const rawAhead: Contender<SmallFilesContext> = {
  name: 'raw, next file at 150',
  command: (context) => clientCommand('raw node:net', context, ['files-ahead', SMALL_DIRECTORY, context.target]),
}

const filesArgs = (context: SmallFilesContext): string[] => ['files', SMALL_DIRECTORY, context.target]
const files = smallFiles('ftp-small-files', 'FTP: small files (4 KiB) listed and downloaded on one connection', filesArgs, [
  netcPipelining(filesArgs),
  netcDownloadDir,
  rawAhead,
])

const poolArgs = (context: SmallFilesContext): string[] => ['pool', SMALL_DIRECTORY, context.target, String(POOL_CONNECTIONS)]
const pool = smallFiles('ftp-small-files-pool', `FTP: the same small files over ${POOL_CONNECTIONS} connections (netc FtpPool, curl --parallel)`, poolArgs, [
  netcPipelining(poolArgs),
])

/** The ftp comparisons (issue 4: @netc/ftp beside the clients users would pick instead). */
export const ftpComparisons: Array<Comparison<unknown>> = [download, upload, files, pool]
