import { mkdir, readdir } from 'node:fs/promises'
import { isAbsolute, join, resolve, sep } from 'node:path'
import { ProtocolError } from '@netc/transport'
import type { FileInfo } from '../parsers/file-info.ts'
import { joinRemote } from './path-commands.ts'
import type { TransferOptions } from './transfer-options.ts'

/** What a directory transfer did. */
export interface DirectoryTransferResult {
  /** Files transferred. */
  files: number
  /** Bytes transferred, all files together. */
  bytes: number
  /** Entries left alone: symlinks (never followed), devices, entries of unknown type. */
  skipped: string[]
}

/** The client operations a directory transfer needs. */
export interface DirectoryTransferClient {
  list(path?: string, options?: { signal?: AbortSignal }): Promise<FileInfo[]>
  download(remote: string, destination: string, options?: TransferOptions): Promise<number>
  upload(source: string, remote: string, options?: TransferOptions): Promise<number>
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>
}

/**
 * assertLocalName: a server-supplied name must stay inside the local target (DESIGN.md principle 8): no
 * `/` or `\`, no `.` or `..`, no NUL, no Windows drive (`C:`), nothing absolute. Throws `ProtocolError`.
 */
export function assertLocalName(name: string, target: string): string {
  const unsafe =
    name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name) || /^[A-Za-z]:/.test(name) || isAbsolute(name)
  const path = resolve(target, name)
  if (unsafe || !path.startsWith(resolve(target) + sep)) {
    throw new ProtocolError(`the server listed a name that would escape ${target}: ${JSON.stringify(name)}`)
  }
  return path
}

/**
 * downloadDirectory: a remote directory tree into a local directory, file by file (each through its
 * `.part` file). Server names are checked before use; symlinks are not followed.
 */
export async function downloadDirectory(
  client: DirectoryTransferClient,
  remote: string,
  local: string,
  options: TransferOptions = {},
  result: DirectoryTransferResult = { files: 0, bytes: 0, skipped: [] },
): Promise<DirectoryTransferResult> {
  await mkdir(local, { recursive: true })
  for (const entry of await client.list(remote, options)) {
    const target = assertLocalName(entry.name, local)
    const source = joinRemote(remote, entry.name)
    if (entry.type === 'directory') await downloadDirectory(client, source, target, options, result)
    else if (entry.type === 'file') {
      result.bytes += await client.download(source, target, options)
      result.files += 1
    } else result.skipped.push(source)
  }
  return result
}

/** uploadDirectory: a local directory tree to a remote directory (made with its parents); symlinks are not followed. */
export async function uploadDirectory(
  client: DirectoryTransferClient,
  local: string,
  remote: string,
  options: TransferOptions = {},
  result: DirectoryTransferResult = { files: 0, bytes: 0, skipped: [] },
): Promise<DirectoryTransferResult> {
  await client.mkdir(remote, { recursive: true })
  for (const entry of await readdir(local, { withFileTypes: true })) {
    const source = join(local, entry.name)
    const target = joinRemote(remote, entry.name)
    if (entry.isDirectory()) await uploadDirectory(client, source, target, options, result)
    else if (entry.isFile()) {
      result.bytes += await client.upload(source, target, options)
      result.files += 1
    } else result.skipped.push(source)
  }
  return result
}
