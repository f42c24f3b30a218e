import { posix } from 'node:path'

/** One file of a MemoryFileSystem. */
export interface MemoryFile {
  data: Buffer
  modified: Date
}

/** What `stat` returns: a file or a directory. */
export type MemoryEntry = { type: 'file'; name: string; file: MemoryFile } | { type: 'directory'; name: string; modified: Date }

/**
 * MemoryFileSystem: the files of an FtpTestServer: absolute POSIX paths (`/dave/dave.txt`) to bytes, and
 * a set of directories. Tests read and change it directly (`server.files`).
 */
export class MemoryFileSystem {
  readonly files = new Map<string, MemoryFile>()
  readonly directories = new Map<string, Date>([['/', new Date()]])

  constructor(initial: Readonly<Record<string, Buffer | string>> = {}) {
    for (const [path, content] of Object.entries(initial)) this.writeFile(normalisePath('/', path), Buffer.from(content))
  }

  /** resolve: an absolute, normalised path for `path` seen from `cwd`. */
  resolve(cwd: string, path: string): string {
    return normalisePath(cwd, path)
  }

  stat(path: string): MemoryEntry | undefined {
    const file = this.files.get(path)
    if (file !== undefined) return { type: 'file', name: posix.basename(path), file }
    const modified = this.directories.get(path)
    return modified === undefined ? undefined : { type: 'directory', name: path === '/' ? '/' : posix.basename(path), modified }
  }

  /** list: the entries directly inside a directory, sorted by name. */
  list(directory: string): MemoryEntry[] {
    const prefix = directory === '/' ? '/' : `${directory}/`
    const names = new Set<string>()
    for (const path of [...this.files.keys(), ...this.directories.keys()]) {
      if (path !== directory && path.startsWith(prefix) && !path.slice(prefix.length).includes('/')) names.add(path)
    }
    return [...names].sort().map((path) => this.stat(path) as MemoryEntry)
  }

  /** writeFile: stores a file, making its parent directories. */
  writeFile(path: string, data: Buffer, options: { append?: boolean; offset?: number } = {}): void {
    this.makeDirectory(posix.dirname(path))
    const old = this.files.get(path)?.data ?? Buffer.alloc(0)
    let next = data
    if (options.append === true) next = Buffer.concat([old, data])
    else if (options.offset !== undefined && options.offset > 0) next = Buffer.concat([old.subarray(0, options.offset), data])
    this.files.set(path, { data: next, modified: new Date() })
  }

  makeDirectory(path: string): void {
    for (let at = path; at !== '/' && !this.directories.has(at); at = posix.dirname(at)) this.directories.set(at, new Date())
  }

  /** remove: deletes a file, or an empty directory; false when there is none (or it is not empty). */
  remove(path: string, type: 'file' | 'directory'): boolean {
    if (type === 'file') return this.files.delete(path)
    if (path === '/' || !this.directories.has(path) || this.list(path).length > 0) return false
    return this.directories.delete(path)
  }

  /** rename: moves a file or a directory tree. */
  rename(from: string, to: string): boolean {
    const entry = this.stat(from)
    if (entry === undefined) return false
    if (entry.type === 'file') {
      this.files.delete(from)
      this.makeDirectory(posix.dirname(to))
      this.files.set(to, entry.file)
      return true
    }
    const moved = (path: string): string => to + path.slice(from.length)
    for (const [path, file] of [...this.files]) {
      if (!path.startsWith(`${from}/`)) continue
      this.files.delete(path)
      this.files.set(moved(path), file)
    }
    for (const [path, date] of [...this.directories]) {
      if (path !== from && !path.startsWith(`${from}/`)) continue
      this.directories.delete(path)
      this.directories.set(moved(path), date)
    }
    return true
  }
}

/** normalisePath: `cwd` + `path` as an absolute POSIX path that never climbs above `/`. */
export function normalisePath(cwd: string, path: string): string {
  const joined = path.startsWith('/') ? path : `${cwd}/${path}`
  const normal = posix.normalize(joined)
  const trimmed = normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}
