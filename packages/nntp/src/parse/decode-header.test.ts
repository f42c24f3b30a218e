import { createRequire } from 'node:module'
import { describe, expect, it, vi } from 'vitest'

const nodeRequire = createRequire(import.meta.url)
const libmimeLoaded = (): boolean => Object.keys(nodeRequire.cache).some((path) => /[\\/](libmime|iconv-lite)[\\/]/.test(path))

// libmime's character-set tables come with iconv-lite (CommonJS, so it shows in require.cache even when
// libmime itself is imported as ESM).
describe('decodeHeader loads libmime lazily', () => {
  it('imports the package without libmime and loads it for the first encoded word', async () => {
    for (const path of Object.keys(nodeRequire.cache)) if (/[\\/](libmime|iconv-lite)[\\/]/.test(path)) delete nodeRequire.cache[path]
    vi.resetModules()
    const { decodeHeader, parseOverviewLine } = await import('../index.ts')
    expect(libmimeLoaded()).toBe(false)
    expect(decodeHeader('plain subject')).toBe('plain subject')
    expect(parseOverviewLine('1\tplain\tDave <d@example.org>\t\t<a@example.org>\t\t10\t1').subject).toBe('plain')
    expect(libmimeLoaded()).toBe(false)
    expect(decodeHeader('=?UTF-8?Q?J=C3=B6rg?= <joerg@example.org>')).toBe('Jörg <joerg@example.org>')
    expect(libmimeLoaded()).toBe(true)
    expect(decodeHeader('=?UTF-8?B?R3LDvMOfZQ==?=')).toBe('Grüße')
  })
})
