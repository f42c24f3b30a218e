// What a protocol package costs a process before it connects: importing one must not load node:tls, so
// a client that speaks only plaintext carries no TLS module (the transport loads it on first use).
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const harness = fileURLToPath(new URL('..', import.meta.url))

/** Imports `name` in a fresh node process (TypeScript sources, as the tests use them) and lists what it loaded. */
async function loadedBy(name: string): Promise<string[]> {
  const script = `await import('${name}'); console.log(JSON.stringify(process.moduleLoadList))`
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=@netc/source', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: harness, timeout: 30_000 },
  )
  return JSON.parse(stdout) as string[]
}

describe('importing a protocol package', () => {
  it.each(['@netc/ftp', '@netc/nntp', '@netc/smtp', '@netc/pop3'])('%s loads node:net but not node:tls', async (name) => {
    const loaded = await loadedBy(name)
    expect(loaded).toContain('NativeModule net')
    expect(loaded).not.toContain('NativeModule tls')
  })
})
