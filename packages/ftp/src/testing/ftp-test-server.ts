import { TestServer, type TestSession } from '@netc/transport/testing'
import { FtpServerSession, type SessionContext } from './ftp-server-session.ts'
import type { FtpTestServerOptions } from './ftp-test-server-options.ts'
import { MemoryFileSystem } from './memory-file-system.ts'

/**
 * FtpTestServer: an in-process FTP/FTPS server for tests (RFC 959, 2428, 3659, 4217): a memory file
 * system, passive (PASV, EPSV) and active (PORT, EPRT) data connections, explicit (AUTH TLS) and
 * implicit TLS with a throwaway certificate and optional session-reuse enforcement, MLSD and Unix LIST,
 * and fault knobs. curl and Python's ftplib work against it.
 *
 * ```ts
 * await using server = await FtpTestServer.start({ users: { dave: 'secret' }, files: { 'dave/dave.txt': 'hi' } })
 * const ftp = await FtpClient.connect(server.url({ user: 'dave', pass: 'secret' }))
 * ```
 */
export class FtpTestServer implements AsyncDisposable {
  /** The files and directories; tests read and change it directly. */
  readonly files: MemoryFileSystem
  /** Every command line received on every session, in order (passwords masked). */
  readonly commands: string[]
  readonly options: FtpTestServerOptions
  readonly #server: TestServer

  private constructor(server: TestServer, files: MemoryFileSystem, options: FtpTestServerOptions, commands: string[]) {
    this.#server = server
    this.commands = commands
    this.files = files
    this.options = options
  }

  /** FtpTestServer.start: listens on 127.0.0.1 (or ::1), port 0. */
  static async start(options: FtpTestServerOptions = {}): Promise<FtpTestServer> {
    const files = new MemoryFileSystem(options.files)
    for (const directory of options.directories ?? []) files.makeDirectory(files.resolve('/', directory))
    const commands: string[] = []
    const host = options.host ?? '127.0.0.1'
    const server = await TestServer.start({
      host,
      tls: options.tls === 'implicit' ? 'implicit' : 'none',
      ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
      ...(options.certificates === undefined ? {} : { certificates: options.certificates }),
      ...(options.faults?.control === undefined ? {} : { faults: options.faults.control }),
      onSession: async (session: TestSession) => {
        const context: SessionContext = { options, fs: files, host, commands }
        await new FtpServerSession(session, context).run()
      },
    })
    return new FtpTestServer(server, files, options, commands)
  }

  get host(): string {
    return this.#server.host
  }

  get port(): number {
    return this.#server.port
  }

  /** The CA certificate (PEM) to give clients as `tls: { ca }`. */
  get ca(): string {
    return this.#server.ca
  }

  /** The errors the session handlers threw (a test may assert it is empty). */
  get errors(): readonly Error[] {
    return this.#server.errors
  }

  /** url: `ftp://user:pass@127.0.0.1:PORT/path` (`ftps://` for implicit TLS). */
  url(parts: { user?: string; pass?: string; path?: string } = {}): string {
    return this.#server.url(this.options.tls === 'implicit' ? 'ftps' : 'ftp', parts)
  }

  /** file: the content of a file, or undefined. */
  file(path: string): Buffer | undefined {
    return this.files.files.get(this.files.resolve('/', path))?.data
  }

  close(): Promise<void> {
    return this.#server.close()
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
