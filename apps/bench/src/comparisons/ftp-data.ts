/**
 * The data of the ftp comparisons: a big random file with a sampled digest (cheap to check after a 1 GiB
 * transfer), and a directory of small files with one digest each.
 */
import { createHash, randomFillSync } from 'node:crypto'
import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const SAMPLE = 64 * 1024
const SAMPLES = 32

/** writeRandomFile: writes `size` random bytes to `path` in 8 MiB chunks. */
export async function writeRandomFile(path: string, size: number): Promise<void> {
  const chunk = Buffer.allocUnsafe(8 * 1024 * 1024)
  const file = await open(path, 'w')
  try {
    for (let written = 0; written < size; ) {
      const length = Math.min(chunk.length, size - written)
      randomFillSync(chunk, 0, length)
      const { bytesWritten } = await file.write(chunk, 0, length, written)
      written += bytesWritten
    }
  } finally {
    await file.close()
  }
}

/**
 * sampledDigest: the size and a SHA-256 over 64 KiB read at 33 evenly spread offsets (the first and the
 * last 64 KiB included): a truncated, shifted or corrupted copy of the file gets another digest.
 */
export async function sampledDigest(path: string): Promise<string> {
  const file = await open(path, 'r')
  try {
    const { size } = await file.stat()
    const hash = createHash('sha256').update(String(size))
    const buffer = Buffer.alloc(SAMPLE)
    const last = Math.max(0, size - SAMPLE)
    for (let i = 0; i <= SAMPLES; i++) {
      const offset = Math.floor((last * i) / SAMPLES)
      const { bytesRead } = await file.read(buffer, 0, SAMPLE, offset)
      hash.update(buffer.subarray(0, bytesRead))
    }
    return `${size}:${hash.digest('hex')}`
  } finally {
    await file.close()
  }
}

/** checkBigFile: throws unless `path` has `size` bytes and the sampled digest of the source. */
export async function checkBigFile(path: string, size: number, digest: string): Promise<void> {
  const actual = await stat(path).catch(() => undefined)
  if (actual === undefined) throw new Error(`${path} is missing`)
  if (actual.size !== size) throw new Error(`${path} has ${actual.size} bytes, not ${size}`)
  if ((await sampledDigest(path)) !== digest) throw new Error(`${path}: the sampled digest differs from the source's`)
}

/** smallFileName: the n-th small file (`f0001.bin`): sorted by name = in creation order. */
export function smallFileName(index: number): string {
  return `f${String(index).padStart(4, '0')}.bin`
}

/** writeSmallFiles: `count` random files of `size` bytes in `directory`; returns each name's SHA-256. */
export async function writeSmallFiles(directory: string, count: number, size: number): Promise<Map<string, string>> {
  await mkdir(directory, { recursive: true })
  const digests = new Map<string, string>()
  for (let i = 0; i < count; i++) {
    const content = randomFillSync(Buffer.allocUnsafe(size))
    const name = smallFileName(i)
    await writeFile(join(directory, name), content)
    digests.set(name, createHash('sha256').update(content).digest('hex'))
  }
  return digests
}

/** checkSmallFiles: throws unless `directory` holds exactly the expected files, byte for byte. */
export async function checkSmallFiles(directory: string, digests: ReadonlyMap<string, string>): Promise<void> {
  const names = (await readdir(directory)).sort()
  if (names.length !== digests.size) throw new Error(`${directory} holds ${names.length} files, not ${digests.size}`)
  for (const name of names) {
    const expected = digests.get(name)
    if (expected === undefined) throw new Error(`unexpected file ${name} in ${directory}`)
    const actual = createHash('sha256').update(await readFile(join(directory, name))).digest('hex')
    if (actual !== expected) throw new Error(`${name} differs from the source`)
  }
}
