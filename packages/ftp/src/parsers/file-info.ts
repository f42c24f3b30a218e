/**
 * FileType: what a directory entry is. `unknown` is a LIST line that no parser understood (an odd
 * server): the entry still carries its `raw` line, and its whole text as `name`.
 */
export type FileType = 'file' | 'directory' | 'symlink' | 'device' | 'unknown'

/**
 * FileInfo: one entry of a listing, from MLSD/MLST facts (RFC 3659 section 7) or a parsed LIST line
 * (Unix `ls -l`, DOS/IIS, EPLF). What a format does not carry is absent.
 *
 * ```
 * type=file;size=6;modify=20190304050600;UNIX.mode=0644; hello.txt
 * → { name: 'hello.txt', type: 'file', size: 6, modifiedAt: 2019-03-04T05:06:00Z, mode: 0o644, raw }
 * ```
 */
export interface FileInfo {
  /** The name as the server sent it (spaces kept). */
  name: string
  type: FileType
  /** Bytes (for a directory, what the server says: `sizd` or the LIST size column). */
  size?: number
  /**
   * The modification time. MLSD `modify` and MDTM are UTC (RFC 3659 section 2.3); LIST times are the
   * server's local time, read here as UTC, and have only minutes (or only a day, for older files).
   */
  modifiedAt?: Date
  /** Unix permission string from LIST (`rwxr-xr-x`), without the type letter. */
  permissions?: string
  /** Unix mode bits, from MLSD `UNIX.mode` or the LIST permission string. */
  mode?: number
  owner?: string
  group?: string
  /** Where a symlink points (LIST `name -> target`, or MLSD `OS.unix=slink:target`). */
  target?: string
  /** The MLSD `unique` fact: the same file under two names has the same value. */
  unique?: string
  /** Every MLSD/MLST fact, names in lower case (RFC 3659 section 7.5). */
  facts?: Readonly<Record<string, string>>
  /** The line as the server sent it. */
  raw: string
}
